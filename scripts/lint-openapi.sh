#!/usr/bin/env bash
# Lints the REST API's description as the app serves it (/openapi/v1.json) with Redocly's recommended rules
# (redocly.yaml beside the solution): any error fails it. Given a file (the document the tests fetched once, which
# .ci/run has them write), it lints that; else it starts the app on a data folder of its own, on 127.0.0.1.
# Usage: scripts/lint-openapi.sh [openapi.json]
set -euo pipefail
cd "$(dirname "$0")/.."

redocly_version=2.77.0
command -v npx >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; }
# Redocly CLI 2 needs Node 20 or later; Debian 12's own Node is 18, which the 1.x line still supports.
[ "$(node -p 'process.versions.node.split(".")[0]')" -ge 20 ] || redocly_version=1.34.20
command -v curl >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl >/dev/null; }

lint() { npx --yes "@redocly/cli@$redocly_version" lint "$1" --config redocly.yaml --format=stylish; }
if [ -n "${1:-}" ]; then
  [ -s "$1" ] || { echo "lint-openapi: $1 is missing or empty" >&2; exit 1; }
  lint "$1"
  exit
fi

data=$(mktemp -d)
port=${CHARRNN_LINT_PORT:-5197}
dotnet build src/CharRnn.Web -nologo -v q >/dev/null
CharRnn__DataDirectory="$data" dotnet run --no-build --no-launch-profile --project src/CharRnn.Web --urls "http://127.0.0.1:$port" >"$data/app.log" 2>&1 &
app=$!
trap 'kill $app 2>/dev/null || true; wait $app 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$port/openapi/v1.json" -o "$data/openapi.json" && break
  kill -0 $app 2>/dev/null || break
  sleep 1
done
[ -s "$data/openapi.json" ] || { echo "lint-openapi: the app did not serve /openapi/v1.json:" >&2; cat "$data/app.log" >&2; exit 1; }
lint "$data/openapi.json"
