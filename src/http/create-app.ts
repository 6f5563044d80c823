import { INestApplication, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { parse as parseQueryString } from 'node:querystring';
import { newRequestId } from './request-ids';
import { handUnpipedParamsSynchronously } from './synchronous-params';
import type { IncomingMessage } from 'node:http';
import { AppModule } from '../app.module';
import { publishOpenApi } from '../openapi/openapi.module';
import { MalformedRequestError } from '../core/errors';
import { clientIp } from '../core/http/http-request';
import { redactSecrets } from '../core/common/secret-redaction';
import { openContext, openedContext } from '../core/context/request-context';
import { Metrics } from '../core/metrics/metrics';
import { Lifecycle } from '../core/lifecycle/lifecycle';
import { accessLine, AppLogger, createAppLogger } from './app-logger';
import type { KeygateConfig } from '../core/config/load-config';
import {
  clientErrorHandler,
  hasLoneSurrogate,
  jsonTooDeep,
  looksLikeKey,
  loggablePath,
  MAX_JSON_DEPTH,
  repeatedSingletonHeader,
} from './request-hygiene';

/**
 * The one file that knows the HTTP adapter is Fastify (measured here: ~7,800 req/s against
 * ~1,650 for Express). Everything else reads requests through src/http/http-request.ts.
 */
/**
 * A caller's request id is kept only when no secret can fit in it: at most 36 characters (a
 * UUID), no `_` (every Keygate key has two) and no `|` (Sanctum's `id|secret`). Anything else
 * (a key glued to a letter, a key without its prefix, a 64-hex legacy key) is replaced.
 */
const REQUEST_ID = /^[A-Za-z0-9.:-]{1,36}$/;
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)/i;

const commonHeaders = (requestId: string) => ({
  'x-request-id': requestId,
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
});
/** While draining, every answer on a kept-alive connection closes it, so clients reconnect elsewhere. */
const drainingHeaders = (requestId: string) => ({ ...commonHeaders(requestId), connection: 'close' });

function isAppLogger(logger: LoggerService | AppLogger): logger is AppLogger {
  return 'access' in logger && 'nest' in logger;
}

/**
 * `logger`: the one LOG_FORMAT chose (main.ts makes it, to flush it at exit), or a plain Nest
 * logger (tests capture the log to prove no key is ever in it); by default one is made here.
 */
export async function createApp(
  config: KeygateConfig,
  logger?: LoggerService | AppLogger,
): Promise<INestApplication> {
  // Set below, once the app exists; the adapter's handler of unreadable URLs calls it too.
  let recordAnswer: (request: FastifyRequest, reply: FastifyReply) => void = () => undefined;
  // Set once the app exists; the adapter's handler of unreadable URLs reads it too.
  let lifecycle: Lifecycle | undefined = undefined;
  // The headers every answer has (and, while draining, `Connection: close`).
  const headersOf = (requestId: string) =>
    lifecycle?.draining ? drainingHeaders(requestId) : commonHeaders(requestId);
  const appLogger: AppLogger = !logger
    ? createAppLogger(config)
    : isAppLogger(logger)
      ? logger
      : {
          nest: logger,
          access: (r) => {
            logger.log(accessLine(r), 'HTTP');
          },
          flush: () => Promise.resolve(),
        };
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    // A caller's X-Request-Id is kept when it is sane, so traces join up across services.
    requestIdHeader: false,
    genReqId: (req: IncomingMessage) => {
      const incoming = req.headers['x-request-id'];
      // A value shaped like a key is never kept: it would be echoed and logged with every line.
      return typeof incoming === 'string' &&
        REQUEST_ID.test(incoming) &&
        !looksLikeKey(incoming) &&
        // Nothing the one redaction would cut (a 32-character token is a Voltis token's shape).
        redactSecrets(incoming) === incoming
        ? incoming
        : newRequestId();
    },
    logger: false,
    // While draining, requests on open connections are served (with `Connection: close`), not
    // refused with Fastify's 503: a shutdown must not turn in-flight work into errors.
    return503OnClosing: false,
    clientErrorHandler,
    // A URL the router cannot read (bad percent-encoding, a 500-character segment): our 400/414
    // body and headers, never Fastify's own, which echoes the path.
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => {
      const status = (error as { code?: string }).code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : 400;
      reply.code(status);
      recordAnswer(request, reply);
      void reply
        .code(status)
        .headers(headersOf(request.id))
        .send({ message: status === 414 ? 'URI Too Long.' : 'Malformed request.' });
    },
  });
  handUnpipedParamsSynchronously();
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: appLogger.nest,
    abortOnError: false,
    // Ours below: Nest's JSON parser would hand 5,000 levels of nesting to the DTO pipeline.
    bodyParser: false,
  });
  publishOpenApi(app);
  const fastify = app.getHttpAdapter().getInstance();
  const metrics = app.get(Metrics);
  lifecycle = app.get(Lifecycle);
  const logAccess = config.logLevel === 'info' || config.logLevel === 'debug';
  // Metrics and the access line of every answer: from the onSend hook below, so a duration runs
  // until the answer was ready, not until its last byte left; and from the handler of URLs the
  // router could not read, which no hook sees.
  recordAnswer = (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    // Fastify's own clock, started before the first onRequest hook of every routed request (the
    // adapter's onResponse hook makes it keep one): a second performance.now() of ours cost ~850
    // instructions a request. 0 for a URL the router could not read, as no hook saw it start.
    const elapsedMs = reply.elapsedTime;
    metrics.request(route, reply.statusCode, elapsedMs / 1000);
    if (logAccess) {
      const context = openedContext(request);
      appLogger.access({
        requestId: request.id,
        method: request.method,
        path: loggablePath(request.url),
        route,
        status: reply.statusCode,
        durationMs: Math.round(elapsedMs * 10) / 10,
        ip: context?.clientIp() ?? clientIp(request, config.trustProxy),
        ...context?.summary(),
      });
    }
  };
  // A body is JSON or a form: Fastify's text/plain parser handed a JSON text to the DTOs as a
  // string, a body no client of this API sends (found by an attack pass). Now 415.
  fastify.removeContentTypeParser('text/plain');
  const defaultJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      done(null, parseQueryString(body as string));
    },
  );
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    // No body at all: many clients send the JSON type on every request, revoke and logout
    // included. The route sees none; one that needs a body answers its own 422.
    if (body === '') return done(null, undefined);
    // JSON is UTF-8 (RFC 8259); a body said to be another charset would be misread, not refused.
    const charset = CHARSET.exec(request.headers['content-type'] ?? '')?.[1].toLowerCase();
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')
      return done(
        Object.assign(new Error(`charset ${charset} is not UTF-8`), { statusCode: 415 }),
        undefined,
      );
    if (jsonTooDeep(body as string)) {
      done(
        new MalformedRequestError(`The JSON body is nested more than ${MAX_JSON_DEPTH} levels deep.`),
        undefined,
      );
      return;
    }
    void defaultJson(request, body as string, (error, parsed) => {
      if (error) done(new MalformedRequestError('Malformed JSON.'), undefined);
      else if (hasLoneSurrogate(parsed)) {
        done(
          new MalformedRequestError(
            'The JSON body holds a string that is not valid Unicode (a lone surrogate).',
          ),
          undefined,
        );
      } else done(null, parsed);
    });
  });
  // The first hook of every request opens its context. Not Nest middleware (it brings
  // @fastify/middie into every request), and not a Fastify hook of our own either: the adapter
  // registers an onRequest hook on every app that only calls the one given here, so using it
  // costs no hook at all (each Fastify hook measured ~2 µs a request here; README, benchmarks).
  // It runs before the adapter's other hooks (CORS, unroutable targets), so their answers have
  // these headers too.
  adapter.setOnRequestHook((request, reply, done) => {
    // The headers every answer has, errors included, set before anything else runs, in one call.
    // An answer may carry a secret (a new key, a login) and none is worth caching; the dashboard's
    // content-hashed assets replace Cache-Control themselves. The rate-limit headers are set once,
    // by their guard, the same way.
    reply.headers(headersOf(request.id));
    const repeated = repeatedSingletonHeader(request.raw.rawHeaders);
    if (repeated) return done(new MalformedRequestError(`The request has more than one ${repeated} header.`));
    openContext(request);
    done();
  });
  // Metrics and the access line when the answer is handed to the socket: an onSend hook, not
  // the adapter's onResponse hook (which would cost no hook of ours): Fastify runs onResponse on
  // the response's 'finish' or 'error', which a client that left before its answer was written
  // may never cause, and those are requests an operator needs to see.
  fastify.addHook('onSend', (request, reply, payload, done) => {
    recordAnswer(request, reply);
    done(null, payload);
  });
  return app;
}
