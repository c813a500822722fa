import type { StageSnapshot } from '@triage/messaging';
import { runnerReady } from './stage-metrics.ts';

/** What `/readyz` answers: ready or not, and the checks behind it (no personal data, no secrets). */
export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, unknown>;
}

/**
 * A stage is ready when every runner has started, joined its group (with or without partitions:
 * a member beyond the partition count is a warm standby) and is not draining.
 */
export function stageReadiness(snapshot: StageSnapshot): ReadinessReport {
  const checks = Object.fromEntries(
    snapshot.runners.map((runner) => [
      runner.groupId,
      {
        stage: runner.stage,
        ready: runnerReady(runner),
        started: runner.lifecycle.started,
        joined: runner.lifecycle.joined,
        stopping: runner.lifecycle.stopping,
        partitions: runner.lifecycle.partitions,
      },
    ]),
  );
  return { ready: snapshot.runners.length > 0 && snapshot.runners.every(runnerReady), checks };
}
