#!/usr/bin/env bash
# The project's main job (README): installs what is missing, starts the real Kafka and
# Elasticsearch, creates the topics, and runs the pipeline with a demo feed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/bootstrap.sh

pnpm install --frozen-lockfile --reporter=append-only
pnpm -s triage stack up
pnpm -s triage topics bootstrap

cat <<'TXT'

The stack is up and the topics exist:
  Kafka          127.0.0.1:9092   (pnpm triage topics list)
  Elasticsearch  http://127.0.0.1:9200
Not there yet: the pipeline services (intake, splitter, hasher, enricher, scorer, indexer),
the demo feed and the analyst console are later issues; this command will start them.
Stop the servers with: pnpm triage stack down
TXT
