import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { Reply } from './http';

type Json = Record<string, any>;

/** `/api/v1/api-keys/:id` → `/api/v1/api-keys/{id}`, as the document names paths. */
export const documentPath = (path: string): string => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/**
 * Validates recorded answers against the OpenAPI document: the status must be documented for the
 * operation, the Content-Type one of that response's media types, and the body must match its
 * schema (JSON Schema 2020-12, with formats).
 */
export class OpenApiContract {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });

  constructor(readonly document: Json) {
    addFormats(this.ajv);
    this.ajv.addSchema(document, 'openapi');
  }

  operation(route: string): Json | undefined {
    const [method, path] = route.split(' ');
    return this.document.paths?.[documentPath(path)]?.[method.toLowerCase()];
  }

  /** Problems with one answer to `route` (`GET /api/v1/api-keys/:id`); empty when it conforms. */
  problems(route: string, reply: Reply): string[] {
    const operation = this.operation(route);
    if (!operation) return [`${route} is not in the document`];
    let response = operation.responses?.[String(reply.status)];
    if (!response) return [`${route} answered ${reply.status}, which the document does not list`];
    if (response.$ref) response = this.resolve(response.$ref);
    const content: Json = response.content ?? {};
    if (Object.keys(content).length === 0)
      return reply.text === '' ? [] : [`${route} ${reply.status}: a body the document does not describe`];
    // The answer's media type must be one the response lists; JSON is validated parsed, any
    // other type (HTML, CSS, Prometheus text) as the string it is.
    const type = String([reply.headers['content-type'] ?? ''].flat()[0])
      .split(';')[0]
      .trim()
      .toLowerCase();
    const media = content[type];
    if (!media)
      return [
        `${route} ${reply.status}: answered ${type || 'no Content-Type'}, not one of ${Object.keys(content).join(', ')}`,
      ];
    const json = type === 'application/json' || type.endsWith('+json');
    const schema = media.schema.$ref ? { $ref: `openapi${media.schema.$ref}` } : media.schema;
    const validate = this.ajv.compile(schema);
    if (validate(json ? reply.body : reply.text)) return [];
    return (validate.errors ?? []).map(
      (e) =>
        `${route} ${reply.status}: ${e.instancePath || '(body)'} ${e.message} ${JSON.stringify(e.params)}`,
    );
  }

  private resolve(pointer: string): Json {
    return pointer
      .replace(/^#\//, '')
      .split('/')
      .reduce((node: Json, part) => node[part.replace(/~1/g, '/').replace(/~0/g, '~')], this.document);
  }
}
