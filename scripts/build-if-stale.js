// Rebuilds dist/ only when a source file is newer than the last build, so `npm run cli` starts
// in a second when nothing changed (tsc itself takes ~4 s even with nothing to do).
const { execSync } = require('node:child_process');
const { existsSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

const stamp = join(__dirname, '..', 'dist', '.built');
function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}
const root = join(__dirname, '..');
const sources = Math.max(
  newest(join(root, 'src')),
  newest(join(root, 'bench')),
  statSync(join(root, 'ormconfig.ts')).mtimeMs,
);
if (!existsSync(stamp) || statSync(stamp).mtimeMs < sources) {
  try {
    execSync('npm run -s build', { cwd: root, stdio: 'inherit' });
  } catch {
    process.exit(1); // tsc has printed why
  }
}
