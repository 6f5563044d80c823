import { Body, Controller, Get, Post } from '@nestjs/common';
import { IsNumber, IsString, Length, Min } from 'class-validator';
import { RequireScope } from '../core/access-policy/require-scope.decorator';
import { RequestContext } from '../core/context/request-context';
import { RequireWorkspace } from '../core/access-policy/route-policy.decorators';
import { Ctx } from '../core/context/ctx.decorator';

class CreateInvoiceDto {
  @IsString()
  @Length(1, 200)
  customer!: string;

  @IsNumber()
  @Min(0)
  amount!: number;
}

/**
 * An example of a developer's own controller: one decorator per handler is all the protection it
 * needs; the guard chain has already resolved tenant, key, workspace and scopes. Its scopes
 * (`invoices:read`, `invoices:create`) join the catalog automatically. Invoices belong to a
 * workspace, so a request without an active workspace is 403 (@RequireWorkspace).
 */
@RequireWorkspace()
@Controller('api/v1/invoices')
export class InvoicesController {
  @RequireScope('invoices:read')
  @Get()
  list(@Ctx() ctx: RequestContext) {
    return { data: [], workspace_id: ctx.workspace()?.id ?? null };
  }

  @RequireScope('invoices:create')
  @Post()
  create(@Ctx() ctx: RequestContext, @Body() dto: CreateInvoiceDto) {
    return { customer: dto.customer, amount: dto.amount, workspace_id: ctx.workspace()?.id ?? null };
  }
}
