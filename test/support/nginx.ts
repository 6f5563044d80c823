import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call } from './http';
import { freePort } from './instances';

export const NGINX = '/usr/sbin/nginx';
const TEMPLATE = join(__dirname, '..', '..', 'examples', 'nginx', 'nginx.conf.template');

/** A port nobody listens on right now (the OS picks it). */

export interface RunningNginx {
  port: number;
  stop(): Promise<void>;
}

/**
 * examples/nginx/nginx.conf.template rendered into a temp folder and run there as a foreground
 * child (`daemon off`), so the test owns the process and nothing outside the folder is touched.
 */
export async function startNginx(vars: {
  keygate: string;
  keygateHost: string;
  upstream: string;
}): Promise<RunningNginx> {
  if (!existsSync(NGINX))
    throw new Error(`${NGINX} is missing: apt-get install -y nginx (.ci/run installs it when missing)`);
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'keygate-nginx-'));
  mkdirSync(join(dir, 'tmp'));
  const conf = readFileSync(TEMPLATE, 'utf8')
    .replaceAll('@LISTEN@', `127.0.0.1:${port}`)
    .replaceAll('@KEYGATE@', vars.keygate)
    .replaceAll('@KEYGATE_HOST@', vars.keygateHost)
    .replaceAll('@UPSTREAM@', vars.upstream);
  writeFileSync(join(dir, 'nginx.conf'), conf);
  const child: ChildProcess = spawn(
    NGINX,
    ['-p', dir, '-c', 'nginx.conf', '-e', 'error.log', '-g', 'daemon off;'],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let i = 0; ; i++) {
    try {
      await call(port, 'GET', '/__nginx_up');
      break;
    } catch {
      if (child.exitCode !== null || i > 100) {
        child.kill('SIGKILL');
        const log = existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : '';
        throw new Error(`nginx did not start: ${stderr}${log}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    port,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
