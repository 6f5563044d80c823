import { Controller, Get, Param, Res } from '@nestjs/common';
import { AnyHost, Public } from '../core/access-policy/route-policy.decorators';
import { NotFoundError } from '../core/errors';
import { DOCS_CSP, DOCS_PAGE, docsAsset } from './docs-assets';
import { OpenApiDocument } from './openapi-document';

interface HeaderSink {
  header(name: string, value: string): unknown;
}

/** The API's own description: public, on every host (a tenant's developers read it on theirs). */
@Public()
@AnyHost()
@Controller()
export class OpenApiController {
  constructor(private readonly openApi: OpenApiDocument) {}

  @Get('openapi.json')
  document(@Res({ passthrough: true }) reply: HeaderSink): string {
    reply.header('content-type', 'application/json; charset=utf-8');
    return this.openApi.json();
  }

  /** Swagger UI over /openapi.json, served from node_modules. */
  @Get('docs')
  docs(@Res({ passthrough: true }) reply: HeaderSink): string {
    reply.header('content-type', 'text/html; charset=utf-8');
    reply.header('content-security-policy', DOCS_CSP);
    return DOCS_PAGE;
  }

  @Get('docs/:asset')
  asset(@Param('asset') name: string, @Res({ passthrough: true }) reply: HeaderSink): Buffer | string {
    const asset = docsAsset(name);
    if (!asset) throw new NotFoundError();
    reply.header('content-type', asset.type);
    return asset.body;
  }
}
