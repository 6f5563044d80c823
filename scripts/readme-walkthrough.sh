#!/usr/bin/env bash
# Runs the README's walkthrough (the bash blocks between the walkthrough markers) from top to
# bottom against a fresh server built from this checkout, and fails at the first step that does:
# so the README cannot rot. Needs a build (npm run build) and curl.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA_DIR=$(mktemp -d)
PORT=$(node -e "const s = require('net').createServer().listen(0, () => { console.log(s.address().port); s.close(); })")
export DATA_DIR PORT LOG_LEVEL=warn
node dist/src/main.js > "$DATA_DIR/server.log" 2>&1 &
server=$!
cleanup() {
  kill "$server" 2>/dev/null || true
  rm -f demo.json key.json
  rm -rf "$DATA_DIR"
}
trap cleanup EXIT
for _ in $(seq 1 100); do
  curl -sf "http://localhost:$PORT/health" > /dev/null && break
  sleep 0.1
done
awk '/<!-- walkthrough:start -->/ { on = 1 } /<!-- walkthrough:end -->/ { on = 0 } on' README.md |
  awk '/^```bash/ { code = 1; next } /^```/ { code = 0 } code' > "$DATA_DIR/walkthrough.sh"
steps=$(grep -c '^curl\|^npm\|^test\|^[A-Z_]*=\$(' "$DATA_DIR/walkthrough.sh" || true)
if ! bash -euo pipefail "$DATA_DIR/walkthrough.sh" > "$DATA_DIR/walkthrough.out" 2>&1; then
  echo "README walkthrough failed; its output:" >&2
  cat "$DATA_DIR/walkthrough.out" >&2
  echo "server log:" >&2
  cat "$DATA_DIR/server.log" >&2
  exit 1
fi
echo "README walkthrough: ${steps} steps passed"
