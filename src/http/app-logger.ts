import { ConsoleLogger, LoggerService, LogLevel } from '@nestjs/common';
import pino from 'pino';
import type { KeygateConfig } from '../core/config/load-config';
import { redactSecrets } from '../core/common/secret-redaction';

/** One finished request, as the access log reports it. */
export interface AccessRecord {
  requestId: string;
  method: string;
  path: string;
  route?: string;
  status: number;
  durationMs: number;
  ip?: string;
  tenant?: string;
  credential?: string;
}

export interface AppLogger {
  /** What Nest and every `new Logger(context)` write through. */
  nest: LoggerService;
  access(record: AccessRecord): void;
  /**
   * Writes what is buffered and resolves once it is written (the JSON destination is
   * asynchronous); awaited before exit.
   */
  flush(): Promise<void>;
}

const NEST_LEVELS: Record<KeygateConfig['logLevel'], LogLevel[]> = {
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  info: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
};

/**
 * `LOG_FORMAT=json` (the default off a terminal): pino, one object a line, written
 * asynchronously. `pretty`: Nest's console format, coloured only on a terminal. Both scrub
 * anything shaped like a key or an Authorization value from every message, whatever wrote it.
 */
export function createAppLogger(
  config: KeygateConfig,
  stream: NodeJS.WriteStream = process.stdout,
): AppLogger {
  const json = config.logFormat === 'json' || (config.logFormat === 'auto' && !stream.isTTY);
  return json ? jsonLogger(config) : prettyLogger(config, Boolean(stream.isTTY));
}

/** `dest`: a file descriptor, stdout by default (tests give a file's, to read what was written). */
export function jsonLogger(config: Pick<KeygateConfig, 'logLevel'>, dest = 1): AppLogger {
  // Lines are written in 4 KB batches (a write per line cost more than the line itself, measured
  // in README, benchmarks), and flushed every 200 ms, so a quiet server's lines still show at once.
  // Access lines are gathered here and handed over 4 KB at a time: SonicBoom measures the byte
  // length of its whole pending buffer on every write, so one write per line grew with the buffer
  // (~5k instructions a request, README, benchmarks). Anything else logged first hands
  // over what is gathered, so lines keep their order.
  let pending = '';
  let opened: ReturnType<typeof pino.destination> | undefined;
  const handOver = () => {
    if (pending === '' || opened === undefined) return;
    opened.write(pending);
    pending = '';
  };
  // Before the destination exists, so that this runs before pino's own exit hook, which writes
  // what SonicBoom holds synchronously: at a crash, the lines gathered here go with it.
  process.once('exit', handOver);
  const destination = (opened = pino.destination({ dest, sync: false, minLength: 4096 }));
  // No callback: with one, SonicBoom fsyncs and leaves two listeners until the buffer drains,
  // which under steady load it never quite does (they piled up: MaxListenersExceededWarning).
  setInterval(() => {
    handOver();
    destination.flush();
  }, 200).unref();
  const time = isoTimeCached();
  const log = pino(
    {
      level: config.logLevel,
      base: { service: 'keygate' },
      timestamp: () => `,"time":"${time()}"`,
      formatters: { level: (label) => ({ level: label }) },
      // No pino `redact`: it doubled the cost of a line (measured, README), and nothing here logs
      // a request's headers, query or body; messages are scrubbed by redactSecrets below.
    },
    destination,
  );
  const write =
    (level: 'fatal' | 'error' | 'warn' | 'info' | 'debug') =>
    (message: unknown, ...rest: unknown[]) => {
      const context =
        typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
      const trace = level === 'error' && typeof rest[0] === 'string' && rest.length > 1 ? rest[0] : undefined;
      handOver();
      log[level](
        { context, ...(trace ? { trace: redactSecrets(trace) } : {}) },
        redactSecrets(message instanceof Error ? message.message : String(message)),
      );
    };
  const nest: LoggerService = {
    log: write('info'),
    error: write('error'),
    warn: write('warn'),
    debug: write('debug'),
    verbose: write('debug'),
    fatal: write('fatal'),
  };
  return {
    nest,
    // The access line, the one written per request, is serialised here rather than by pino: the
    // same object pino would write (level, time, service, fields, msg), for about half the CPU.
    access: log.isLevelEnabled('info')
      ? (record) => {
          pending += accessJson(record, time());
          if (pending.length >= 4096) handOver();
        }
      : () => undefined,
    // Not flushSync: it writes what is queued while an asynchronous write may still be in flight,
    // so lines came out of order, and the in-flight batch was lost to the exit that followed
    // (the spec below caught it). SonicBoom's flush waits for the queue to drain. Bounded, so
    // a stdout nobody reads cannot hold the exit.
    flush: () => {
      handOver();
      return new Promise<void>((resolve) => {
        const bound = setTimeout(resolve, 2000);
        destination.flush(() => {
          clearTimeout(bound);
          resolve();
        });
      });
    },
  };
}

/** '000' to '999': the milliseconds of a timestamp, made once. */
const MILLIS = Array.from({ length: 1000 }, (_, ms) => String(ms).padStart(3, '0'));

/**
 * An ISO timestamp (`toISOString`'s, to the millisecond), formatted once a second and completed
 * with its milliseconds from a table: `toISOString` was the largest single cost of a line, and a
 * cache per millisecond missed whenever requests were more than a millisecond apart.
 */
export function isoTimeCached(now: () => number = Date.now): () => string {
  let second = -1;
  let prefix = '';
  return () => {
    const ms = now();
    const s = Math.floor(ms / 1000);
    if (s !== second) {
      second = s;
      // "2026-12-07T14:27:01." from "2026-12-07T14:27:01.000Z"
      prefix = new Date(s * 1000).toISOString().slice(0, -4);
    }
    return `${prefix}${MILLIS[ms - s * 1000]}Z`;
  };
}

/** One access record as a pino info line (what `log.info({context: 'HTTP', ...record}, 'request')` writes). */
export function accessJson(r: AccessRecord, time: string): string {
  return (
    `{"level":"info","time":"${time}","service":"keygate","context":"HTTP"` +
    `${field('requestId', r.requestId)}${routeFields(r)}` +
    `,"status":${r.status},"durationMs":${r.durationMs}` +
    `${field('ip', r.ip)}${callerFields(r)},"msg":"request"}\n`
  );
}

// The fields a line repeats from the lines before it are serialised once: quoting seven fields
// was ~60% of a line's cost (`npm run bench:instructions`). One entry per route and one per
// tenant, so nothing grows past the app's routes and tenants.
const ROUTE_FIELDS = new Map<string, { method: string; text: string }>();
const CALLER_FIELDS = new Map<string, { credential: string | undefined; text: string }>();
const MAX_TENANTS_KEPT = 10_000;

/** method, path and route; kept for a route without parameters (its path is the route). */
function routeFields(r: AccessRecord): string {
  const kept = r.route !== undefined && r.path === r.route ? ROUTE_FIELDS.get(r.route) : undefined;
  if (kept !== undefined && kept.method === r.method) return kept.text;
  const text = `${field('method', r.method)}${field('path', r.path)}${field('route', r.route)}`;
  if (r.route !== undefined && r.path === r.route) ROUTE_FIELDS.set(r.route, { method: r.method, text });
  return text;
}

/** tenant and credential; kept per tenant for its latest credential. */
function callerFields(r: AccessRecord): string {
  if (r.tenant === undefined) return field('credential', r.credential);
  const kept = CALLER_FIELDS.get(r.tenant);
  if (kept !== undefined && kept.credential === r.credential) return kept.text;
  const text = `${field('tenant', r.tenant)}${field('credential', r.credential)}`;
  if (CALLER_FIELDS.size >= MAX_TENANTS_KEPT) CALLER_FIELDS.clear();
  CALLER_FIELDS.set(r.tenant, { credential: r.credential, text });
  return text;
}

function field(name: string, value: string | undefined): string {
  return value === undefined ? '' : `,"${name}":${quoted(value)}`;
}

/**
 * `JSON.stringify(value)` for a string, without the call when nothing in it needs escaping (ids,
 * prefixes, slugs, routes, most paths): seven calls into V8's runtime were most of a line's
 * cost. Anything that might need it (a control character, `"`, `\`, anything past ASCII: a lone
 * surrogate is escaped too) still goes through JSON.stringify.
 */
export function quoted(value: string): string {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || c > 0x7e) return JSON.stringify(value);
  }
  return `"${value}"`;
}

/** The access log's line in the pretty format (and in tests' captured logs). */
export function accessLine(r: AccessRecord): string {
  const who = `${r.tenant ? ` tenant=${r.tenant}` : ''}${r.credential ? ` key=${r.credential}` : ''}`;
  return `${r.method} ${r.path} ${r.status} ${r.durationMs.toFixed(1)}ms id=${r.requestId}${who}`;
}

function prettyLogger(config: KeygateConfig, colors: boolean): AppLogger {
  const logger = new ConsoleLogger({ logLevels: NEST_LEVELS[config.logLevel], colors });
  const scrub =
    (fn: (message: unknown, ...rest: unknown[]) => void) =>
    (message: unknown, ...rest: unknown[]) =>
      fn(redactSecrets(message instanceof Error ? message.message : String(message)), ...rest);
  const nest: LoggerService = {
    log: scrub(logger.log.bind(logger)),
    error: scrub(logger.error.bind(logger)),
    warn: scrub(logger.warn.bind(logger)),
    debug: scrub(logger.debug.bind(logger)),
    verbose: scrub(logger.verbose.bind(logger)),
    fatal: scrub(logger.fatal.bind(logger)),
  };
  const infoOn = config.logLevel === 'info' || config.logLevel === 'debug';
  return {
    nest,
    access: (record) => {
      if (infoOn) logger.log(accessLine(record), 'HTTP');
    },
    flush: () => Promise.resolve(),
  };
}
