import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from './src/core/config/load-config';
import { dataSourceOptions } from './src/database/data-source-options';

/**
 * For the TypeORM CLI (`npx typeorm -d dist/ormconfig.js migration:show`): the same options the
 * app uses, from the same environment variables. The app itself imports data-source-options.ts.
 */
export default new DataSource(dataSourceOptions(loadConfig(process.env).database));
