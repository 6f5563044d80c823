import { Init1763800000000 as MysqlInit } from './mysql/1763800000000-init';
import { SupersededKeys1764600000000 as MysqlSupersededKeys } from './mysql/1764600000000-superseded-keys';
import { LegacyImportsOauth1764700000000 as MysqlLegacyImportsOauth } from './mysql/1764700000000-legacy-imports-oauth';
import { Sessions1764800000000 as MysqlSessions } from './mysql/1764800000000-sessions';
import { LegacySealedKeys1764900000000 as MysqlLegacySealedKeys } from './mysql/1764900000000-legacy-sealed-keys';
import { OauthClientBudgets1765000000000 as MysqlOauthClientBudgets } from './mysql/1765000000000-oauth-client-budgets';
import { Init1763800000000 as SqliteInit } from './sqlite/1763800000000-init';
import { SupersededKeys1764600000000 as SqliteSupersededKeys } from './sqlite/1764600000000-superseded-keys';
import { LegacyImportsOauth1764700000000 as SqliteLegacyImportsOauth } from './sqlite/1764700000000-legacy-imports-oauth';
import { Sessions1764800000000 as SqliteSessions } from './sqlite/1764800000000-sessions';
import { LegacySealedKeys1764900000000 as SqliteLegacySealedKeys } from './sqlite/1764900000000-legacy-sealed-keys';
import { OauthClientBudgets1765000000000 as SqliteOauthClientBudgets } from './sqlite/1765000000000-oauth-client-budgets';

/** Migrations per driver: the SQL differs, the schema does not. Append new ones at the end. */
export const SQLITE_MIGRATIONS = [
  SqliteInit,
  SqliteSupersededKeys,
  SqliteLegacyImportsOauth,
  SqliteSessions,
  SqliteLegacySealedKeys,
  SqliteOauthClientBudgets,
];
export const MYSQL_MIGRATIONS = [
  MysqlInit,
  MysqlSupersededKeys,
  MysqlLegacyImportsOauth,
  MysqlSessions,
  MysqlLegacySealedKeys,
  MysqlOauthClientBudgets,
];
