#!/usr/bin/env bash
# Installs the local binaries the integration tests start when no env URL and no Docker engine is there:
# PostgreSQL (Debian), NATS server (go install, pinned) and MinIO (go install, pinned commit).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
[ -z "${DATABASE_URL:-}" ] && apt_install postgresql
[ -z "${NATS_URL:-}" ] && ensure_go_binary nats-server "github.com/nats-io/nats-server/v2@${NATS_SERVER_VERSION}" "${NATS_SERVER_VERSION#v}"
[ -z "${S3_ENDPOINT:-}" ] && ensure_go_binary minio "github.com/minio/minio@${MINIO_VERSION}" "minio"
exit 0
