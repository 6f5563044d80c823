import { RouterExecutionContext, type ParamProperties } from '@nestjs/core/router/router-execution-context';

type PipesFn = ReturnType<RouterExecutionContext['createPipesFn']>;
type Args = Parameters<NonNullable<PipesFn>>;
const PATCHED = Symbol.for('keygate.synchronous-params');

/**
 * Handler arguments that no pipe transforms (`@Ctx()`, `@Req()`, `@Res()`, `@Headers()`,
 * `@Ip()`) handed over without Nest's pipe machinery. Nest resolves every parameter of a
 * handler in an async function per parameter under `Promise.all`, in another async function,
 * even when no pipe can apply to any of them. For `@Ctx()` alone that counted ~4,200
 * instructions a request (`npm run bench:instructions`, (a) 98.7k → 94.5k against bare's 71.8k),
 * on every route that takes the context. Here such a handler's arguments are read synchronously;
 * Nest awaits the (undefined) result as it awaits its own, and a throw lands in the same catch.
 * A handler with any pipeable parameter (`@Body()`, `@Query()`, `@Param()`, files, custom
 * decorators) keeps Nest's own function unchanged, validation included.
 *
 * This replaces one method of a Nest class, so it checks what it relies on: if a Nest upgrade
 * renames or reshapes it, the boot stops with this message instead of silently losing either the
 * speed or the arguments (synchronous-params.spec.ts runs handlers of both kinds).
 */
export function handUnpipedParamsSynchronously(): void {
  const prototype = RouterExecutionContext.prototype as RouterExecutionContext & {
    [PATCHED]?: true;
  };
  if (prototype[PATCHED]) return;
  const nests = prototype.createPipesFn;
  if (typeof nests !== 'function' || nests.length !== 2 || typeof prototype.isPipeable !== 'function')
    throw new Error(
      'src/http/synchronous-params.ts: @nestjs/core RouterExecutionContext no longer has createPipesFn(pipes, params) and isPipeable(type); review this file against the new Nest',
    );
  prototype.createPipesFn = function (
    this: RouterExecutionContext,
    pipes: Parameters<RouterExecutionContext['createPipesFn']>[0],
    params: Parameters<RouterExecutionContext['createPipesFn']>[1],
  ): PipesFn {
    if (params.length === 0 || params.some((param) => this.isPipeable(param.type)))
      return nests.call(this, pipes, params);
    const unpiped: readonly ParamProperties[] = params;
    return ((args: Args[0], req: Args[1], res: Args[2], next: Args[3]) => {
      for (const param of unpiped)
        args[param.index] = param.extractValue<unknown, unknown>(req, res, next) as unknown;
    }) as unknown as PipesFn;
  };
  prototype[PATCHED] = true;
}
