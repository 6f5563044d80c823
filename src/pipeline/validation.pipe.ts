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
    stopAtFirstError: true,
    exceptionFactory: (errors: ValidationError[]) => new InvalidInputError(flatten(errors)),
  });
}

function flatten(errors: ValidationError[], parent = ''): FieldErrors {
  const out: FieldErrors = {};
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) out[field] = Object.values(error.constraints);
    if (error.children?.length) Object.assign(out, flatten(error.children, field));
  }
  return out;
}
