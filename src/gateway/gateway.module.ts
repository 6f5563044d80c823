import { Module } from '@nestjs/common';
import { AuthCheckController } from './auth-check.controller';

/** What gateways in front of other services call (GET /api/v1/auth/check). */
@Module({ controllers: [AuthCheckController] })
export class GatewayModule {}
