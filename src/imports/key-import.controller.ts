import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { RequireScope } from '../core/access-policy/require-scope.decorator';
import { RequireWorkspace } from '../core/access-policy/route-policy.decorators';
import { ImportKeysDto } from './dto/import-keys.dto';
import { KeyImportService } from './key-import.service';
import { Ctx } from '../core/context/ctx.decorator';
import type { RequestContext } from '../core/context/request-context';

/** Imports of legacy credentials into the active workspace (product.md, "Moving in"). */
@RequireWorkspace()
@Controller('api/v1/api-keys/import')
export class KeyImportController {
  constructor(private readonly imports: KeyImportService) {}

  @RequireScope('api-keys:create')
  @Post()
  @HttpCode(200)
  import(@Ctx() ctx: RequestContext, @Body() dto: ImportKeysDto) {
    return this.imports.import(ctx, {
      format: dto.format,
      rows: dto.rows,
      users: dto.users,
      workspaceId: dto.workspace_id ?? null,
      registerScopes: dto.register_scopes ?? false,
      legacyKey: dto.legacy_key,
      operator: false,
    });
  }
}
