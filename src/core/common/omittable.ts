import { ValidateIf } from 'class-validator';

/**
 * A body field that may be left out but is never `null`: class-validator's `@IsOptional()` skips
 * every check for null too, which handed `{"name": null}` to the database (a 500). Fields where
 * null means something (`expires_at`, `rate_limit_tier`, `tenant_role`) keep `@IsOptional()`.
 */
export const Omittable = (): PropertyDecorator => ValidateIf((_object, value) => value !== undefined);
