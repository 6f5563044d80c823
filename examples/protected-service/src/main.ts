import 'reflect-metadata';
import { createProtectedService, optionsFromEnv } from './app';

async function main(): Promise<void> {
  let options;
  try {
    options = optionsFromEnv(process.env);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
  const port = Number(process.env.PORT ?? 4000);
  const app = await createProtectedService(options);
  await app.listen(port, process.env.HOST ?? '127.0.0.1');
  process.stdout.write(
    `protected-service listening on http://127.0.0.1:${port} (GET /reports needs reports:read)\n`,
  );
  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    process.once(signal, () => void app.close().then(() => process.exit(0)));
}

void main();
