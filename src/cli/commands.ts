import { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ApiKeysRepository } from '../api-keys/api-keys.repository';
import { RequestContext } from '../core/context/request-context';
import { PlatformKeysService } from '../platform/platform-keys.service';
import { importKeysCommand } from './import-keys.command';
import { TenantProvisioner } from '../tenants/tenant-provisioner';
import { TenantsRepository } from '../tenants/tenants.repository';
import { TenantsService } from '../tenants/tenants.service';
import { CliError, onePositional, onlyFlags, optionalFlag, ParsedArgs, requireFlag } from './args';

export type Output = { json: unknown; text: string };
type Command = (app: INestApplicationContext, args: ParsedArgs) => Promise<Output>;

export const USAGE = `Usage: npm run cli -- <command> [options]

  tenants:create <slug> --owner-email E --owner-password P [--name N] [--json]
  tenants:list [--json]
  tenants:suspend <slug> [--json]
  tenants:resume <slug> [--json]
  platform:keys:create --name N [--json]
  keys:prune [--days N] [--json]      delete keys expired or revoked more than N days ago (default 30)
  keys:import <tenant> --from sanctum|hex-bcrypt|voltis|prefixed-bcrypt --file dump.json
      [--workspace ID] [--register-scopes] [--legacy-key-env NAME] [--json]
                                      import a legacy system's hashed keys (all rows or none)
  migration:run                       apply pending migrations (also done on every start)

Use "npm run -s cli -- …" when piping --json output, so npm prints no banner.`;

/** `npm run cli -- <command> --help`: that command's line of USAGE. */
export function usageOf(command: string): string {
  const line = USAGE.split('\n').find((l) => l.trim().startsWith(`${command} `) || l.trim() === command);
  return `Usage: npm run cli -- ${(line ?? command).trim()}`;
}

export const COMMANDS: Record<string, Command> = {
  'tenants:create': async (app, args) => {
    onlyFlags(args, ['owner-email', 'owner-password', 'name', 'json']);
    const provisioner = app.get(TenantProvisioner);
    const dto = await provisioner.validate({
      slug: onePositional(args, 'slug'),
      owner_email: requireFlag(args, 'owner-email'),
      owner_password: requireFlag(args, 'owner-password'),
      ...(optionalFlag(args, 'name') !== undefined ? { name: optionalFlag(args, 'name') } : {}),
    });
    const result = await provisioner.create(RequestContext.platform(), dto);
    return {
      json: result,
      text: `created tenant ${result.tenant.slug} (${result.tenant.id})\nowner ${result.owner.email}\nworkspace ${result.workspace.id}\nowner token (shown once): ${result.token}`,
    };
  },

  'tenants:list': async (app, args) => {
    onlyFlags(args, ['json']);
    const data = [];
    let cursor: string | undefined;
    do {
      const page = await app.get(TenantsService).list(RequestContext.platform(), { limit: 100, cursor });
      data.push(...page.data);
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    return {
      json: data,
      text:
        data.length > 0
          ? ['slug\tstatus\tid\tname', ...data.map((t) => `${t.slug}\t${t.status}\t${t.id}\t${t.name}`)].join(
              '\n',
            )
          : '(no tenants)',
    };
  },

  'tenants:suspend': async (app, args) => {
    onlyFlags(args, ['json']);
    const tenant = await app
      .get(TenantsService)
      .setStatus(RequestContext.platform(), await existingSlug(app, args), 'suspended');
    return { json: tenant, text: `suspended ${tenant.slug}` };
  },

  'tenants:resume': async (app, args) => {
    onlyFlags(args, ['json']);
    const tenant = await app
      .get(TenantsService)
      .setStatus(RequestContext.platform(), await existingSlug(app, args), 'active');
    return { json: tenant, text: `resumed ${tenant.slug}` };
  },

  'platform:keys:create': async (app, args) => {
    onlyFlags(args, ['name', 'json']);
    const name = requireFlag(args, 'name');
    if (name.length > 200) throw new CliError('--name must be at most 200 characters');
    const key = await app.get(PlatformKeysService).create(name);
    return { json: key, text: `platform key ${key.prefix} (shown once): ${key.key}` };
  },

  'keys:prune': async (app, args) => {
    onlyFlags(args, ['days', 'json']);
    const days = Number(optionalFlag(args, 'days') ?? '30');
    if (!Number.isInteger(days) || days < 0) throw new CliError('--days must be a whole number of days');
    const before = new Date(Date.now() - days * 86400_000);
    let deleted = 0;
    for (const tenant of await app.get(TenantsRepository).page(RequestContext.platform(), null, 1_000_000)) {
      deleted += await app.get(ApiKeysRepository).deleteDeadBefore(RequestContext.forTenant(tenant), before);
    }
    return {
      json: { deleted, before: before.toISOString() },
      text: `deleted ${deleted} keys expired or revoked before ${before.toISOString()}`,
    };
  },

  'keys:import': importKeysCommand,

  'migration:run': async (app, args) => {
    onlyFlags(args, []);
    const applied = await app.get(DataSource).runMigrations({ transaction: 'each' });
    return {
      json: applied.map((m) => m.name),
      text: applied.length ? `applied ${applied.map((m) => m.name).join(', ')}` : 'nothing to apply',
    };
  },
};

/** The slug argument, or a message an operator can act on instead of a bare "Not Found.". */
async function existingSlug(app: INestApplicationContext, args: ParsedArgs): Promise<string> {
  const slug = onePositional(args, 'slug');
  if (!(await app.get(TenantsRepository).findBySlug(RequestContext.platform(), slug))) {
    throw new CliError(`no tenant with slug "${slug}" (npm run cli -- tenants:list shows them)`);
  }
  return slug;
}
