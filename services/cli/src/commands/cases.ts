import { commonEnv, loadConfig } from '@triage/config';
import { connectionFromConfig, deployedTopic, PartitionReader, pipelineTopics } from '@triage/messaging';
import { type Case, createCodec } from '@triage/schemas';
import { isFloorReason } from '@triage/scoring';
import type { Command } from 'commander';

const tierOrder = { P1: 0, P2: 1, P3: 2, P4: 3 } as const;

/** The queue order analysts work in: tier first, then score, highest first. */
function byPriority(a: Case, b: Case): number {
  const tier =
    (tierOrder[a.tier as keyof typeof tierOrder] ?? 9) - (tierOrder[b.tier as keyof typeof tierOrder] ?? 9);
  return tier !== 0 ? tier : b.score - a.score;
}

/**
 * The floors that hold the case's tier (they decide it, so they come first), then the largest
 * contributions, e.g. `floor:ncmec_priority_1, escalation +40, home_jurisdiction +25`.
 */
function topReasons(scored: Case, count: number): string {
  const floors = scored.reasons.filter(isFloorReason).map((reason) => reason.factor);
  const largest = scored.reasons
    .filter((reason) => !isFloorReason(reason))
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
    .slice(0, count)
    .map(
      (reason) => `${reason.factor} ${reason.contribution >= 0 ? '+' : ''}${Math.round(reason.contribution)}`,
    );
  return [...floors, ...largest].join(', ');
}

/**
 * `triage cases [--top N] [--json]`: the scored queue as the scorer left it on the compacted
 * cases topic (latest case per report), in priority order. Report ids, tiers, scores and factor
 * names only: no personal data, no media.
 */
export function registerCasesCommand(program: Command): void {
  program
    .command('cases')
    .description('The scored cases in queue order (tier, then score): the latest case per report on cases.v1')
    .option('--top <n>', 'how many cases to show', '25')
    .option('--json', 'print the cases as JSON lines instead of a table')
    .action(async (flags: { top: string; json?: boolean }) => {
      const config = loadConfig(commonEnv, process.env);
      const connection = connectionFromConfig(config);
      const codec = createCodec();
      const latest = new Map<string, Case>();
      const reader = new PartitionReader({
        connection,
        topic: deployedTopic(connection, pipelineTopics.cases.name),
        name: 'cli-cases',
      });
      try {
        await reader.readToEnd((record) => {
          if (record.value === null) latest.delete(record.key);
          else latest.set(record.key, codec.decode('Case', record.value));
        });
      } finally {
        await reader.close();
      }
      const queue = [...latest.values()].sort(byPriority).slice(0, Number(flags.top));
      if (flags.json) {
        for (const scored of queue) console.log(JSON.stringify(scored));
        return;
      }
      const tiers = Object.fromEntries(
        Object.keys(tierOrder).map((tier) => [
          tier,
          [...latest.values()].filter((c) => c.tier === tier).length,
        ]),
      );
      console.log(
        `${latest.size} cases: ${Object.entries(tiers)
          .map(([tier, n]) => `${tier} ${n}`)
          .join(', ')}`,
      );
      console.table(
        queue.map((scored) => ({
          tier: scored.tier,
          score: Math.round(scored.score * 10) / 10,
          report: scored.reportId,
          items: `${scored.itemsSeen}/${scored.itemsExpected}${scored.provisional ? ' (provisional)' : ''}`,
          links: scored.linkedReports.length,
          reasons: topReasons(scored, 3),
        })),
      );
    });
}
