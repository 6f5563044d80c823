import { Injectable } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';

/**
 * The app's OpenAPI document, built once, on first request (booting does not pay for it: the
 * e2e suite starts dozens of apps). createApp() hands it the builder, which needs the app itself.
 */
@Injectable()
export class OpenApiDocument {
  private factory: (() => OpenAPIObject) | null = null;
  private built: { document: OpenAPIObject; json: string } | null = null;

  useFactory(factory: () => OpenAPIObject): void {
    this.factory = factory;
    this.built = null;
  }

  document(): OpenAPIObject {
    return this.build().document;
  }

  json(): string {
    return this.build().json;
  }

  private build(): { document: OpenAPIObject; json: string } {
    if (!this.built) {
      if (!this.factory) throw new Error('OpenApiDocument: no builder; createApp() sets it (publishOpenApi)');
      const document = this.factory();
      this.built = { document, json: JSON.stringify(document) };
    }
    return this.built;
  }
}
