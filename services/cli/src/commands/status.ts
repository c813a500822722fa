import { setTimeout as sleep } from 'node:timers/promises';
import { Admin } from '@platformatic/kafka';
import { commonEnv, loadConfig } from '@triage/config';
import { connectionFromConfig, probeClientOptions } from '@triage/messaging';
import { createSearchClient } from '@triage/search';
import type { Command } from 'commander';
import { z } from 'zod';
import { opsUrls } from '../config.ts';
import { collectStatus, type StatusDeps, sampleStages } from './collect-status.ts';
import { renderStatus } from './render-status.ts';
import type { StatusReport } from './status-report.ts';

interface StatusFlags {
  json?: boolean;
  watch?: string | boolean;
  sample: string;
  intakeOpsUrl?: string;
  apiOpsUrl?: string;
}

/** Timeouts short enough that a dead dependency shows within one refresh. */
const probeTimeoutMs = 3_000;
const clearScreen = '\x1b[2J\x1b[H';

/**
 * `triage status [--watch [seconds]] [--json]`: the pipeline at a glance. Exit 0 when healthy,
 * 1 when anything is unhealthy (the problems the screen lists); with --watch, that of the last
 * refresh when Ctrl-C stops it.
 */
export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description(
      'The pipeline at a glance: Kafka, each stage (group members, lag, records/s), dead letters of the ' +
        'last hour, state stores, Elasticsearch, index aliases, intake and API readiness; exit 1 when unhealthy',
    )
    .option('--json', 'print the collected object as JSON (one line per refresh with --watch)')
    .option('--watch [seconds]', 'redraw every N seconds (default 5) until Ctrl-C')
    .option('--sample <seconds>', 'seconds between the two stage samples that give the first rates', '3')
    .option(
      '--intake-ops-url <url>',
      "intake's ops base URL (default $INTAKE_OPS_URL, else http://127.0.0.1:$INTAKE_OPS_PORT, 9464)",
    )
    .option(
      '--api-ops-url <url>',
      "the triage API's ops base URL (default $TRIAGE_API_OPS_URL, else http://127.0.0.1:$TRIAGE_API_OPS_PORT, 9465)",
    )
    .action(async (flags: StatusFlags) => {
      await status(flags);
    });
}

async function status(flags: StatusFlags): Promise<void> {
  const sampleMs = z.coerce.number().min(0).max(600).parse(flags.sample) * 1000;
  const watchMs =
    flags.watch === undefined
      ? undefined
      : z.coerce
          .number()
          .min(1)
          .max(3600)
          .parse(flags.watch === true ? 5 : flags.watch) * 1000;
  const config = loadConfig(commonEnv, process.env);
  const connection = connectionFromConfig(config);
  // The ops ports' /readyz names the dependency that is down; the public ones only say whether.
  const urls = opsUrls(process.env);
  const admin = new Admin(probeClientOptions(connection, 'status', probeTimeoutMs));
  const search = createSearchClient({ url: config.ELASTICSEARCH_URL, requestTimeoutMs: probeTimeoutMs });
  const deps: StatusDeps = {
    admin,
    connection,
    search,
    services: [
      { name: 'intake', url: flags.intakeOpsUrl ?? urls.intake },
      { name: 'triage-api', url: flags.apiOpsUrl ?? urls.triageApi },
    ],
    env: process.env,
    deadLetterWindowMs: 60 * 60 * 1000,
    httpTimeoutMs: probeTimeoutMs,
    now: Date.now,
  };
  const print = (report: StatusReport) => {
    if (flags.json) process.stdout.write(`${JSON.stringify(report)}\n`);
    else process.stdout.write(`${watchMs === undefined ? '' : clearScreen}${renderStatus(report)}`);
    process.exitCode = report.healthy ? 0 : 1;
  };
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    // The first rates come from two samples `--sample` apart; later ones from one refresh to the next.
    let sample = await sampleStages(deps).catch(() => undefined);
    await sleep(sampleMs, undefined, { signal: stop.signal }).catch(() => undefined);
    for (;;) {
      if (stop.signal.aborted) return;
      const collected = await collectStatus(deps, sample);
      print(collected.report);
      sample = collected.sample;
      if (watchMs === undefined) return;
      await sleep(watchMs, undefined, { signal: stop.signal }).catch(() => undefined);
    }
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await Promise.allSettled([admin.close(), search.close()]);
  }
}
