import { Init1763800000000 as MysqlInit } from './mysql/1763800000000-init';
import { Init1763800000000 as SqliteInit } from './sqlite/1763800000000-init';

/** Migrations per driver: the SQL differs, the schema does not. Append new ones at the end. */
export const SQLITE_MIGRATIONS = [SqliteInit];
export const MYSQL_MIGRATIONS = [MysqlInit];
