import { INestApplication, Module } from '@nestjs/common';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildOpenApiDocument } from './openapi-builder';
import { OpenApiController } from './openapi.controller';
import { OpenApiDocument } from './openapi-document';

/** GET /openapi.json and GET /docs. */
@Module({ controllers: [OpenApiController], providers: [OpenApiDocument] })
export class OpenApiModule {}

/** Hands the document builder the app it describes (called by createApp). */
export function publishOpenApi(app: INestApplication): void {
  app.get(OpenApiDocument).useFactory(() => buildOpenApiDocument(app, packageVersion()));
}

/** The version in the repository's package.json (src/ or dist/src/ alike: the first one up the tree). */
function packageVersion(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file))
      return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? '0.0.0';
  }
  return '0.0.0';
}
