import { ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldErrors, InvalidInputError } from '../core/errors';

/**
 * class-validator on every DTO: unknown fields are refused, and failures become the 422 body of
 * product.md with messages per field (`rate_limit.limit` for nested ones).
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors: ValidationError[]) => new InvalidInputError(flatten(errors)),
  });
}

function flatten(errors: ValidationError[], parent = ''): FieldErrors {
  const out: FieldErrors = {};
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) out[field] = [firstMessage(error.constraints)];
    if (error.children?.length) Object.assign(out, flatten(error.children, field));
  }
  return out;
}

/**
 * Checks of what a value is, before checks of how big or which: `?limit=abc` is "limit must be an
 * integer number", not "must not be greater than 100" (class-validator's own order is the reverse
 * of the decorators', so `stopAtFirstError` reported whichever came last in the source).
 */
const TYPE_CHECKS = [
  'isDefined',
  'isNotEmpty',
  'isString',
  'isInt',
  'isNumber',
  'isBoolean',
  'isArray',
  'isObject',
  'isIn',
  'isEnum',
];

/** One message per field, as before: the first type check that failed, else the first failure. */
function firstMessage(constraints: Record<string, string>): string {
  const type = TYPE_CHECKS.find((name) => name in constraints);
  return constraints[type ?? Object.keys(constraints)[0]];
}
