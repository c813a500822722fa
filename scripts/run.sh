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
Built so far: the hasher (node services/hasher/src/main.ts) and the hash-list importer
(pnpm triage hashes import). Not there yet: intake, splitter, enricher, scorer, indexer, the
demo feed and the analyst console; this command will start them as they land.
Stop the servers with: pnpm triage stack down
TXT
