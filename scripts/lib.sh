# Shared shell helpers, sourced by the scripts in this folder. Not executable on its own.
# Tools we install ourselves live in DUBSTAGE_TOOLS (outside the repository, so a fresh clone reuses them).
: "${DUBSTAGE_TOOLS:=${HOME}/.cache/dubstage/tools}"
export DUBSTAGE_TOOLS
# Pinned versions. MinIO's RELEASE tags are not Go versions, so it is pinned by commit (pseudo-version).
NODE_VERSION=24.21.0
PNPM_VERSION=12.4.2
NATS_SERVER_VERSION=v2.12.4
MINIO_VERSION=v0.0.0-20260212201848-7aac2a2c5b7c
# Python reference tools (cross-checks and test inputs only; the product is TypeScript).
PYTHON_TOOLS="pyaaf2==1.7.1 opentimelineio==0.18.1 pycmx==1.5.1"
export DUBSTAGE_PYTHON="${DUBSTAGE_TOOLS}/python/bin/python"
export GOBIN="${DUBSTAGE_TOOLS}/bin"
export PATH="${DUBSTAGE_TOOLS}/node/node_modules/.bin:${DUBSTAGE_TOOLS}/pnpm/node_modules/.bin:${GOBIN}:${PATH}"

log() { printf '[dubstage] %s\n' "$*" >&2; }

have_version() { # have_version <cmd> <substring>
  command -v "$1" >/dev/null 2>&1 && "$1" --version 2>&1 | grep -q -- "$2"
}

ensure_node() {
  if node --version 2>/dev/null | grep -q '^v24\.'; then return; fi
  log "installing Node ${NODE_VERSION} (npm package node@${NODE_VERSION}) into ${DUBSTAGE_TOOLS}/node"
  mkdir -p "${DUBSTAGE_TOOLS}/node"
  npm install --no-save --no-audit --no-fund --prefix "${DUBSTAGE_TOOLS}/node" "node@${NODE_VERSION}" >&2
  node --version | grep -q '^v24\.' || { log "Node 24 did not install"; exit 1; }
}

ensure_pnpm() {
  if have_version pnpm "${PNPM_VERSION}"; then return; fi
  log "installing pnpm ${PNPM_VERSION} into ${DUBSTAGE_TOOLS}/pnpm"
  mkdir -p "${DUBSTAGE_TOOLS}/pnpm"
  npm install --no-save --no-audit --no-fund --prefix "${DUBSTAGE_TOOLS}/pnpm" "pnpm@${PNPM_VERSION}" >&2
}

apt_install() { # apt_install <package>... : installs only the missing Debian packages
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return
  log "apt-get install ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then log "need root to install ${missing[*]}"; exit 1; fi
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
}

ensure_go_binary() { # ensure_go_binary <binary> <module@version> <version-substring>
  local bin="$1" mod="$2" want="$3"
  if [ -x "${GOBIN}/${bin}" ] && [ -f "${GOBIN}/${bin}.version" ] && grep -qx -- "${mod}" "${GOBIN}/${bin}.version"; then return; fi
  command -v go >/dev/null 2>&1 || { log "Go is needed to build ${bin} (${mod})"; exit 1; }
  log "go install ${mod} (first time only; takes minutes)"
  mkdir -p "${GOBIN}"
  go install "${mod}" >&2
  echo "${mod}" > "${GOBIN}/${bin}.version"
  : "${want}"
}

ensure_python_tools() { # a venv in DUBSTAGE_TOOLS/python with PYTHON_TOOLS; $DUBSTAGE_PYTHON runs it
  local venv="${DUBSTAGE_TOOLS}/python"
  if [ -x "${venv}/bin/python" ] && [ -f "${venv}/tools.version" ] && grep -qxF -- "${PYTHON_TOOLS}" "${venv}/tools.version"; then return; fi
  python3 -m venv --help >/dev/null 2>&1 || apt_install python3-venv
  log "installing the Python reference tools (${PYTHON_TOOLS}) into ${venv}"
  python3 -m venv "${venv}" >&2
  # shellcheck disable=SC2086 # the list is meant to split
  "${venv}/bin/pip" install --quiet --disable-pip-version-check ${PYTHON_TOOLS} >&2
  echo "${PYTHON_TOOLS}" > "${venv}/tools.version"
}
