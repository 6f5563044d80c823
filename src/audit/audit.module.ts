import { Global, Module } from '@nestjs/common';
import { AuditLogsController } from './audit-logs.controller';
import { AuditLogsRepository, AuditService } from './audit.service';

@Global()
@Module({ controllers: [AuditLogsController], providers: [AuditLogsRepository, AuditService], exports: [AuditService] })
export class AuditModule {}
