#!/usr/bin/env bash
# The run command: installs what is missing (Node 24, pnpm, the workspace; see bootstrap.sh), then starts the
# whole platform in one process and runs the demo against it over gRPC: a film reel is created, edited, and
# its tracklay and event stream are printed. Embedded by default (PGlite in ./.dubstage/data, filesystem
# media, in-process events): nothing else needs to be installed. Set DATABASE_URL, NATS_URL and S3_ENDPOINT
# (with S3_ACCESS_KEY, S3_SECRET_KEY; optional S3_BUCKET, S3_REGION) to run it on real servers.
#   bash scripts/run.sh            # human-readable report on stdout, progress on stderr
#   bash scripts/run.sh --json     # one JSON document (a DemoResult; see services/cli/README.md)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
source scripts/lib.sh
exec pnpm --silent dubstage demo "$@"
