#!/usr/bin/env bash
# `pnpm fuzz`: installs schemathesis (pinned, from PyPI) into .fuzz/venv and fuzzes the live intake,
# triage API and hash-check with every check on (test/fuzz/fuzz-apis.ts). Kafka and Elasticsearch
# must be up (`pnpm triage stack up`). Not part of scripts/test.sh: a run takes minutes.
# FUZZ_ONLY=intake,triage-api,triage-api-auditor,triage-api-seeded,hash-check limits the runs; FUZZ_MAX_EXAMPLES (default 50) the cases per operation.
set -euo pipefail
cd "$(dirname "$0")/.."
version=4.32.5
venv=.fuzz/venv
if ! "$venv/bin/st" --version 2>/dev/null | grep -q "$version"; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "schemathesis==$version"
fi
export SCHEMATHESIS_BIN="$PWD/$venv/bin/st"
exec node test/fuzz/fuzz-apis.ts "$@"
