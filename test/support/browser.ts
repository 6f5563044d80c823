import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Browser, chromium } from 'playwright-core';

/** Debian's Chromium (`apt-get install -y chromium`; .ci/run installs it), or CHROMIUM_PATH. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * `describe` when Chromium is there. Outside CI a machine without it skips the browser specs with
 * a loud message; in CI (CI=true) a missing browser fails the run instead of skipping it.
 */
export function describeInBrowser(name: string, body: () => void): void {
  if (existsSync(CHROMIUM) || process.env.CI === 'true') {
    describe(name, body);
    return;
  }
  process.stderr.write(
    `\n*** SKIPPING the browser specs "${name}": no Chromium at ${CHROMIUM}.\n` +
      '*** Install it (apt-get install -y chromium) or set CHROMIUM_PATH. In CI this is a failure.\n\n',
  );
  describe.skip(name, body);
}

/** Headless, and each context a fresh profile (no cookies, no storage). */
export function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}

/** Where page screenshots go: SCREENSHOT_DIR (docs/screenshots for the README), else a temp dir. */
export function screenshotDir(): string {
  const dir = process.env.SCREENSHOT_DIR
    ? resolve(process.env.SCREENSHOT_DIR)
    : join(tmpdir(), 'keygate-screenshots');
  mkdirSync(dir, { recursive: true });
  return dir;
}
