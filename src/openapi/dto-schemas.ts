import { getMetadataStorage, ValidationTypes } from 'class-validator';
import { targetConstructorToSchema, validationMetadatasToSchemas } from 'class-validator-jsonschema';
// class-transformer's own storage: where `@Type(() => RateLimitDto)` says what a nested field is.
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import type { Schema } from './schemas';

type DtoClass = abstract new (...args: never[]) => unknown;

const OPTIONS = {
  refPointerPrefix: '#/components/schemas/',
  classTransformerMetadataStorage: defaultMetadataStorage,
};

/**
 * JSON Schemas of request DTOs, read from their class-validator decorators (what the validation
 * pipe enforces), by class name, with the nested DTOs they refer to. Two corrections the library
 * does not make: a field under any conditional validation (`@IsOptional`, `@Omittable`, a mapped
 * type's partial) is not required, and one under `@IsOptional()` also accepts null.
 */
export function dtoSchemas(classes: Iterable<DtoClass>): Record<string, Schema> {
  const out: Record<string, Schema> = {};
  let all: Record<string, Schema> | undefined;
  const pending = [...classes].map((c) => ({ name: c.name, schema: withPresence(c) }));
  while (pending.length > 0) {
    const { name, schema } = pending.pop()!;
    if (out[name]) continue;
    out[name] = schema;
    for (const referenced of refsIn(schema)) {
      if (out[referenced]) continue;
      all ??= validationMetadatasToSchemas(OPTIONS) as Record<string, Schema>;
      pending.push({
        name: referenced,
        schema: anyOfNotOneOf(all[referenced] ?? { type: 'object' }) as Schema,
      });
    }
  }
  return out;
}

function withPresence(target: DtoClass): Schema {
  const schema = anyOfNotOneOf(targetConstructorToSchema(target, OPTIONS)) as Schema & {
    properties?: Record<string, Schema>;
  };
  const metadata = getMetadataStorage().getTargetValidationMetadatas(target, '', true, false);
  const conditional = new Set<string>();
  const nullable = new Set<string>();
  for (const m of metadata) {
    if (m.type !== ValidationTypes.CONDITIONAL_VALIDATION) continue;
    conditional.add(m.propertyName);
    if (m.name === 'isOptional') nullable.add(m.propertyName);
  }
  const properties = schema.properties ?? {};
  for (const name of nullable) if (properties[name]) properties[name] = orNull(properties[name]);
  const required = Object.keys(properties).filter((name) => !conditional.has(name));
  const result: Schema = { ...schema, type: 'object', properties };
  delete result.required;
  if (required.length > 0) result.required = required;
  return result;
}

/** The library says `oneOf` where both branches can match (an ISO-8601 date is a string either way). */
function anyOfNotOneOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(anyOfNotOneOf);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k === 'oneOf' ? 'anyOf' : k, anyOfNotOneOf(v)]),
  );
}

function orNull(schema: Schema): Schema {
  if (typeof schema.type === 'string' && !schema.$ref) return { ...schema, type: [schema.type, 'null'] };
  return { anyOf: [schema, { type: 'null' }] };
}

function refsIn(value: unknown): string[] {
  const found: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        if (k === '$ref' && typeof child === 'string')
          found.push(child.replace(OPTIONS.refPointerPrefix, ''));
        else walk(child);
      }
    }
  };
  walk(value);
  return found;
}
