import { INestApplicationContext } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { isLegacyFormat, LEGACY_FORMATS } from '../core/context/legacy-formats';
import { RequestContext } from '../core/context/request-context';
import { KeyImportService } from '../imports/key-import.service';
import { TenantsRepository } from '../tenants/tenants.repository';
import { CliError, onePositional, onlyFlags, optionalFlag, ParsedArgs, requireFlag } from './args';

/** `keys:import <tenant> --from <format> --file <dump.json>`: see KeyImportService. */
export async function importKeysCommand(app: INestApplicationContext, args: ParsedArgs) {
  onlyFlags(args, ['from', 'file', 'workspace', 'register-scopes', 'legacy-key-env', 'json']);
  const slug = onePositional(args, 'tenant slug');
  const format = requireFlag(args, 'from');
  if (!isLegacyFormat(format)) throw new CliError(`--from must be one of ${LEGACY_FORMATS.join(', ')}`);
  const dump = readDump(requireFlag(args, 'file'));
  const keyEnv = optionalFlag(args, 'legacy-key-env');
  const legacyKey = keyEnv !== undefined ? process.env[keyEnv] : undefined;
  if (keyEnv !== undefined && !legacyKey)
    throw new CliError(`the variable ${keyEnv} (--legacy-key-env) is not set`);
  const tenant = await app.get(TenantsRepository).findBySlug(RequestContext.platform(), slug);
  if (!tenant) throw new CliError(`no tenant with slug "${slug}" (npm run cli -- tenants:list shows them)`);
  const report = await app.get(KeyImportService).import(RequestContext.forTenant(tenant), {
    format,
    rows: dump.rows,
    users: dump.users,
    workspaceId: optionalFlag(args, 'workspace') ?? null,
    registerScopes: args.flags.has('register-scopes'),
    legacyKey,
    operator: true,
  });
  const skipped = report.skipped.length ? ` (skipped, already imported: ${report.skipped.join(', ')})` : '';
  return {
    json: report,
    text: `imported ${report.imported} ${format} credentials into ${slug}, skipped ${report.skipped.length}${skipped}`,
  };
}

function readDump(path: string): { rows: unknown; users: unknown } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new CliError(`cannot read --file ${path}`);
  }
  let dump: unknown;
  try {
    dump = JSON.parse(text);
  } catch {
    throw new CliError(`--file ${path} is not JSON`);
  }
  if (typeof dump !== 'object' || dump === null || Array.isArray(dump))
    throw new CliError('the dump must be a JSON object {"rows": [...], "users": [...]}');
  const { rows, users } = dump as Record<string, unknown>;
  return { rows, users };
}
