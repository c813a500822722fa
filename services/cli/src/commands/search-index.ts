import { commonEnv, loadConfig } from '@triage/config';
import { TriageError } from '@triage/errors';
import {
  createSearchClient,
  indexNames,
  promoteAlias,
  type SearchClient,
  searchIndices,
} from '@triage/search';
import type { Command } from 'commander';

interface SwitchFlags {
  lane?: string;
  live?: boolean;
  dryRun?: boolean;
}

/** `triage index switch`: which copy of each index the analysts read. */
export function registerIndexCommands(program: Command): void {
  const index = program.command('index').description('The search indices behind the aliases analysts read');
  index
    .command('switch')
    .description(
      "Point each alias at a rebuild lane's copy of its index (or back at the live one), one atomic move per alias; the index it leaves is kept",
    )
    .option('--lane <name>', 'the lane whose indices readers move to')
    .option('--live', 'back to the live indices')
    .option('--dry-run', 'say what would move and change nothing')
    .action(async (flags: SwitchFlags) => {
      if ((flags.lane === undefined) === (flags.live !== true)) {
        throw new TriageError('TRIAGE_REPLAY_INVALID', 'say where to switch to: --lane <name> or --live');
      }
      const config = loadConfig(commonEnv, process.env);
      const search = createSearchClient({ url: config.ELASTICSEARCH_URL });
      try {
        await switchAliases(search, config.KAFKA_TOPIC_PREFIX, flags.lane, flags.dryRun === true);
      } finally {
        await search.close();
      }
    });
}

async function switchAliases(
  search: SearchClient,
  prefix: string,
  lane: string | undefined,
  dryRun: boolean,
): Promise<void> {
  const moves: {
    spec: (typeof searchIndices)[keyof typeof searchIndices];
    alias: string;
    from: string;
    to: string;
  }[] = [];
  for (const spec of Object.values(searchIndices)) {
    const names = indexNames(prefix, spec, lane);
    // A lane rebuilds only the indices downstream of its first stage: the others stay live.
    if (!(await search.indices.exists({ index: names.index }))) continue;
    const current = (await search.indices.exists({ index: names.alias, allow_no_indices: false }))
      ? Object.keys(await search.indices.getAlias({ name: names.alias }))
      : [];
    moves.push({ spec, alias: names.alias, from: current.join(', ') || '(none)', to: names.index });
  }
  if (moves.length === 0) {
    throw new TriageError(
      'TRIAGE_REPLAY_INVALID',
      lane === undefined ? 'no live index exists yet' : `lane ${lane} has no index (did its rebuild run?)`,
    );
  }
  console.table(moves.map(({ alias, from, to }) => ({ alias, from, to })));
  if (dryRun) {
    console.log('dry run: no alias moved');
    return;
  }
  for (const move of moves) {
    if (move.from === move.to) continue;
    await promoteAlias(search, prefix, move.spec, lane);
  }
  console.log(`switched ${moves.filter((move) => move.from !== move.to).length} alias(es)`);
}
