import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { RequireScope } from '../core/access-policy/require-scope.decorator';
import { VerifyKeyDto } from './dto/verify-key.dto';
import { KeyVerificationService } from './key-verification.service';
import { Ctx } from '../core/context/ctx.decorator';
import type { RequestContext } from '../core/context/request-context';

@Controller('api/v1/keys')
export class VerifyController {
  constructor(private readonly verification: KeyVerificationService) {}

  @RequireScope('keys:verify')
  @Post('verify')
  @HttpCode(200)
  verify(@Ctx() ctx: RequestContext, @Body() dto: VerifyKeyDto) {
    return this.verification.verify(ctx, dto);
  }
}
