import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { InjectConfig, KeygateConfig } from '../core/config/keygate.config';

/** Runs pending migrations before the app serves (RUN_MIGRATIONS=false turns it off). */
@Injectable()
export class MigrationsOnBoot implements OnModuleInit {
  private readonly logger = new Logger('Migrations');

  constructor(
    private readonly dataSource: DataSource,
    @InjectConfig() private readonly config: KeygateConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.config.runMigrations) return;
    const applied = await this.dataSource.runMigrations({ transaction: 'each' });
    if (applied.length > 0) this.logger.log(`applied ${applied.map((m) => m.name).join(', ')}`);
  }
}
