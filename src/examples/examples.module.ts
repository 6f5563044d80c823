import { Module } from '@nestjs/common';
import { InvoicesController } from './invoices.controller';

/** Example controllers showing how a developer protects routes with @RequireScope. */
@Module({ controllers: [InvoicesController] })
export class ExamplesModule {}
