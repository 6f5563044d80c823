import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';

export interface Asset {
  /** `dashboard.3f9a1c2b7e.js`: the content hash is in the name, so it can be cached forever. */
  file: string;
  body: Buffer;
  contentType: string;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * The dashboard's static files (src/dashboard/assets), read once at boot and named by a hash of
 * their content. They are plain CSS and JavaScript: no build step beyond `npm ci && npm start`.
 */
@Injectable()
export class AssetBundle {
  private readonly byFile = new Map<string, Asset>();
  private readonly byName = new Map<string, Asset>();

  constructor() {
    const dir = assetsDir();
    for (const name of readdirSync(dir).sort()) {
      const ext = extname(name);
      if (!TYPES[ext]) continue;
      const body = readFileSync(join(dir, name));
      const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
      const asset = { file: `${name.slice(0, -ext.length)}.${hash}${ext}`, body, contentType: TYPES[ext] };
      this.byFile.set(asset.file, asset);
      this.byName.set(name, asset);
    }
  }

  /** `/assets/dashboard.<hash>.js` for `dashboard.js`. */
  url(name: string): string {
    const asset = this.byName.get(name);
    if (!asset) throw new Error(`dashboard asset ${name} is missing from ${assetsDir()}`);
    return `/assets/${asset.file}`;
  }

  find(file: string): Asset | undefined {
    return this.byFile.get(file);
  }

  /** Bytes of the named assets (the page weight the README reports). */
  size(names: readonly string[]): number {
    return names.reduce((sum, name) => sum + (this.byName.get(name)?.body.length ?? 0), 0);
  }
}

/** Beside this file when run from src/ (ts-jest), or the source folder when run from dist/. */
function assetsDir(): string {
  for (const dir of [
    join(__dirname, 'assets'),
    join(__dirname, '..', '..', '..', 'src', 'dashboard', 'assets'),
  ]) {
    if (existsSync(dir)) return dir;
  }
  throw new Error(`dashboard assets not found next to ${__dirname}`);
}
