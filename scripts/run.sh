#!/usr/bin/env bash
# The project's main job (README): installs what is missing, then `triage up`: starts the real
# Kafka and Elasticsearch (unless running), creates the topics and index templates, starts every
# service (logs in .data/demo/logs) and sends them a synthetic demo feed (invented reports,
# generated images) with its demo known-hash list, waits until its cases are searchable and
# prints the triage API's URL. The services keep running until Ctrl-C, which stops them in order
# (each drains and commits on SIGTERM). Arguments go to `triage up` (`--detach`, `--demo N`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/bootstrap.sh

pnpm install --frozen-lockfile --reporter=append-only
# The web console's bundle (apps/console/dist, never committed): triage-api serves it at /.
pnpm -s console:build
pnpm -s triage up --demo "${TRIAGE_DEMO_REPORTS:-40}" "$@"
