import { RequestContext } from './core/context/request-context';
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError } from './core/config/config-error';
import { withAppKey } from './core/config/app-key';
import { readEnvFile } from './core/config/env-file';
import { loadConfig } from './core/config/load-config';
import { createApp } from './http/create-app';
import { createAppLogger } from './http/app-logger';
import { TenantsService } from './tenants/tenants.service';
import { Lifecycle } from './core/lifecycle/lifecycle';

async function bootstrap(): Promise<void> {
  // Validate before Nest starts, so a wrong variable is one line and exit code 1, not a stack.
  let config;
  try {
    readEnvFile();
    config = loadConfig(withAppKey(process.env));
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createAppLogger(config);
  const app = await createApp(config, logger);
  await app.listen(config.port, config.host);
  const driver = config.database.type === 'mysql' ? 'MySQL' : `SQLite (${config.database.database})`;
  // Graceful stop: finish in-flight requests, flush batched usage, close the pool, exit 0.
  // (Nest's enableShutdownHooks re-raises the signal, which makes `npm start` report a failure.)
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      // SIGTERM (an orchestrator): keep serving for SHUTDOWN_DRAIN_SECONDS with readiness 503
      // and `Connection: close`, so load balancers and kept-alive clients move elsewhere before
      // the listener closes. SIGINT (Ctrl-C in a terminal): close at once.
      app.get(Lifecycle).beginDraining();
      const drainMs = signal === 'SIGTERM' ? config.shutdownDrainSeconds * 1000 : 0;
      void new Promise((resolve) => setTimeout(resolve, drainMs))
        .then(() => app.close())
        .then(
          () => 0,
          (error: Error) => {
            logger.nest.error(`shutdown failed: ${error.message}`, 'Keygate');
            return 1;
          },
        )
        .then(async (code) => {
          await logger.flush();
          process.exit(code);
        });
    });
  }
  new Logger('Keygate').log(
    `listening on http://${config.host}:${config.port} · ${driver} · base domain ${config.baseDomain}`,
  );
  // A first start has no tenant yet: say what to run next.
  const tenants = await app.get(TenantsService).list(RequestContext.platform(), { limit: 1 });
  if (tenants.data.length === 0) {
    new Logger('Keygate').log(
      'no tenant yet: npm run -s cli -- tenants:create demo --owner-email owner@demo.test --owner-password change-me-now --json' +
        ` (then sign in at http://demo.${config.baseDomain}:${config.port}/)`,
    );
  }
}

bootstrap().catch((error: Error) => {
  process.stderr.write(`Keygate failed to start: ${error.message}\n`);
  process.exit(1);
});
