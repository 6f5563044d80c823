import { Global, Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { AuditLogsController } from './audit-logs.controller';
import { AuditLogsRepository, AuditService } from './audit.service';

@Global()
@Module({
  imports: [AccessModule],
  controllers: [AuditLogsController],
  providers: [AuditLogsRepository, AuditService],
  exports: [AuditService],
})
export class AuditModule {}
