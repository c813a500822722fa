#!/usr/bin/env bash
# The project's test command (README, CI): installs what is missing, starts the real Kafka and
# Elasticsearch, then runs lint, typecheck, the generated-file checks and every test tier.
# Servers it started are stopped at the end; servers that were already running are left alone.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/bootstrap.sh
. scripts/system-deps.sh

pnpm install --frozen-lockfile --reporter=append-only
# The web console's bundle (apps/console/dist, never committed): triage-api serves it at /.
pnpm -s console:build

# Tests reach the servers the stack starts (its ports follow TRIAGE_KAFKA_PORT / TRIAGE_ES_PORT).
export KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:${TRIAGE_KAFKA_PORT:-9092}}"
export ELASTICSEARCH_URL="${ELASTICSEARCH_URL:-http://127.0.0.1:${TRIAGE_ES_PORT:-9200}}"

results="$(mktemp -d)"
stack_was_up=false
if pnpm -s triage stack status 2>/dev/null | grep -q ' running '; then stack_was_up=true; fi
cleanup() {
  if [ "$stack_was_up" = false ]; then pnpm -s triage stack down || true; fi
  rm -rf "$results"
}
trap cleanup EXIT

pnpm -s triage stack up

echo "== lint, typecheck, dead code, generated files"
pnpm -s lint
pnpm -s typecheck
pnpm -s knip
node scripts/check-boundaries.ts
pnpm -s triage config env-example --check
pnpm -s schemas:check
pnpm -s bundles:check
pnpm -s openapi:check
pnpm -s triage-openapi:check
pnpm -s hash-check-openapi:check
node scripts/check-links.ts

status=0
# faults: the fault scenarios on a cluster and Elasticsearch the tier starts (and stops) itself.
for tier in unit int e2e faults; do
  echo "== $tier tests"
  pnpm -s vitest run --project "$tier" --passWithNoTests \
    --reporter=default --reporter=json --outputFile.json="$results/$tier.json" || status=1
done
node scripts/test-summary.ts "$results"/*.json || status=1
exit "$status"
