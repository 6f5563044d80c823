import { Module } from '@nestjs/common';
import { ClientsController } from './clients.controller';
import { InvoicesController } from './invoices.controller';
import { PingController } from './ping.controller';

/** Example controllers showing how a developer protects routes with @RequireScope. */
@Module({ controllers: [InvoicesController, ClientsController, PingController] })
export class ExamplesModule {}
