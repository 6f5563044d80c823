import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const SWAGGER_UI_DIR = dirname(require.resolve('swagger-ui-dist/package.json'));

/** What /docs serves, all from this process (swagger-ui-dist in node_modules; no CDN). */
const SWAGGER_UI: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const INIT = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true });
});
`;

export const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Keygate API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css">
<link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
`;

export const DOCS_CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'";

const cache = new Map<string, Buffer>();

/** An asset of the docs page by file name, or null for anything else (no path is ever joined from input). */
export function docsAsset(name: string): { body: Buffer | string; type: string } | null {
  if (name === 'init.js') return { body: INIT, type: 'text/javascript; charset=utf-8' };
  const type = Object.prototype.hasOwnProperty.call(SWAGGER_UI, name) ? SWAGGER_UI[name] : undefined;
  if (!type) return null;
  let body = cache.get(name);
  if (!body) cache.set(name, (body = readFileSync(join(SWAGGER_UI_DIR, name))));
  return { body, type };
}
