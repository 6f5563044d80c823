import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { withAppKey } from './src/core/config/app-key';
import { readEnvFile } from './src/core/config/env-file';
import { loadConfig } from './src/core/config/load-config';
import { dataSourceOptions } from './src/database/data-source-options';

/**
 * For the TypeORM CLI (`npx typeorm -d dist/ormconfig.js migration:show`): the same options the
 * app uses, from the same environment variables. The app itself imports data-source-options.ts.
 */
readEnvFile();
export default new DataSource(dataSourceOptions(loadConfig(withAppKey(process.env)).database));
