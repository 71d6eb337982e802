#!/usr/bin/env bash
# The test command: installs everything, provisions PostgreSQL, NATS JetStream and MinIO, and runs the
# whole suite (lint, proto lint, typecheck, unit, integration and e2e tests).
# Each dependency comes from its env URL if set (DATABASE_URL, NATS_URL, S3_ENDPOINT...), else from
# testcontainers when a Docker engine answers, else from local binaries that scripts/install-infra.sh
# installs and the vitest global setup starts on 127.0.0.1 with throwaway data dirs.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
bash scripts/bootstrap.sh
if ! docker info >/dev/null 2>&1; then bash scripts/install-infra.sh; fi
log "lint"
pnpm run lint
log "typecheck"
pnpm run typecheck
log "tests"
results="$(mktemp -d)/vitest.json"
status=0
pnpm exec vitest run --reporter=default --reporter=json --outputFile.json="${results}" "$@" || status=$?
# A plain closing line that any CI reader understands: "N passed, N failed, N skipped".
node -e '
  const r = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
' "${results}" || true
exit "${status}"
