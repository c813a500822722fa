import { deadLetterSpec, pipelineTopics, stateTopics, type TopicSpec } from '@triage/messaging';

/** What `triage erase` found of a report before erasing anything. */
export interface ErasureSurvey {
  reportId: string;
  /** Documents in every copy (live and rebuild lanes) of each index. */
  search: { cases: number; items: number; actions: number; media: number };
  /** Ids of the report's items (from its items documents): their keys on the scorer's item changelog. */
  itemIds: readonly string[];
  /** Each file the report's items carry: whether the content store holds it, and the other reports carrying it. */
  files: readonly { sha256: string; stored: boolean; otherReports: number }[];
  /** Keys of the report's rows on the repeat-suspect table. */
  identifierRows: readonly string[];
  /** Deployed names of each compacted report-keyed topic: the live one and every lane's copy that exists. */
  topicCopies: Readonly<Record<TombstonedTopic, readonly string[]>>;
}

/** The compacted topics that hold a report's data under keys the erasure knows. */
export const tombstonedTopics = {
  cases: pipelineTopics.cases,
  scorerReports: stateTopics.scorerReports,
  scorerItems: stateTopics.scorerItems,
  suspectIdentifiers: stateTopics.suspectIdentifiers,
} as const satisfies Record<string, TopicSpec>;

export type TombstonedTopic = keyof typeof tombstonedTopics;

/** What stays behind after the erasure, until when, and what keeps it from bringing the report back. */
interface LeftBehind {
  topic: string;
  holds: string;
  /** `retention.ms` of the topic, in words ("kept forever", "30 days"). */
  until: string;
  meanwhile: string;
}

export interface ErasurePlan {
  reportId: string;
  search: ErasureSurvey['search'];
  /** Files deleted from the content store (no other report carries them). */
  deleteFiles: string[];
  /** Files kept: another report carries them too (or they are no longer stored). */
  keepFiles: { sha256: string; otherReports: number; stored: boolean }[];
  tombstones: { topic: string; key: string }[];
  left: LeftBehind[];
  /** True when nothing is left to erase (a report erased before, or never seen). */
  nothingToErase: boolean;
}

function retentionInWords(spec: TopicSpec): string {
  if (spec.cleanupPolicy === 'compact' || spec.retentionMs < 0) return 'kept forever';
  const days = spec.retentionMs / 86_400_000;
  return days >= 365 && days % 365 === 0 ? `${days / 365} years` : `${days} days`;
}

const dropped = 'the scorer and the indexer drop records of an erased report (erasures.v1)';

/**
 * Records of the report on topics Kafka cannot delete one by one (retention-based topics, and
 * compacted ones keyed by something other than the report), with what each holds.
 */
function leftBehind(): LeftBehind[] {
  const row = (spec: TopicSpec, holds: string, meanwhile: string): LeftBehind => ({
    topic: spec.name,
    holds,
    until: retentionInWords(spec),
    meanwhile,
  });
  const stageInput = (spec: TopicSpec, holds: string) => row(spec, holds, dropped);
  return [
    row(
      pipelineTopics.bundles,
      'the bundle as the partner sent it: the report text and metadata, media by sha256 only',
      'the splitter drops an erased report when a bundle is split again, so a replay from it never reaches the stages',
    ),
    row(
      pipelineTopics.bundleStatus,
      "the bundle's receipt: report ids, versions and counts (no content)",
      "kept to answer the partner's resends; it holds ids and counts only",
    ),
    stageInput(pipelineTopics.reports, 'the report records (text and metadata)'),
    stageInput(pipelineTopics.items, 'item records: ids, sha256 references, partner metadata'),
    stageInput(pipelineTopics.mediaObserved, 'hashed file items keyed by sha256'),
    stageInput(pipelineTopics.itemsHashed, 'hashed items: hashes, matches, dedupe facts'),
    stageInput(pipelineTopics.itemsEnriched, 'enriched items: hashes and network facts'),
    stageInput(pipelineTopics.triageActions, "analysts' actions on the case (notes included)"),
    row(
      stateTopics.dedupeSightings,
      'one row per (file, report): sha256, report id, ordinal, time',
      "ids only; dedupe's sighting counts depend on them",
    ),
    row(
      pipelineTopics.audit,
      'audit events naming the report id (reads, actions, this erasure)',
      'the audit chain is never edited: ids and reasons only, no content',
    ),
    {
      topic: '<input topic>.dlq',
      holds: 'dead letters of any of the above',
      until: retentionInWords(deadLetterSpec(pipelineTopics.items)),
      meanwhile: 'a redrive sends them back to the stages, which drop them',
    },
  ];
}

/** The erasure decided from what was found: pure, so `--dry-run` previews exactly what a run does. */
export function planErasure(survey: ErasureSurvey): ErasurePlan {
  const deleteFiles = survey.files
    .filter((file) => file.stored && file.otherReports === 0)
    .map((file) => file.sha256);
  const keepFiles = survey.files
    .filter((file) => !(file.stored && file.otherReports === 0))
    .map(({ sha256, otherReports, stored }) => ({ sha256, otherReports, stored }));
  const tombstones: { topic: string; key: string }[] = [];
  const add = (id: TombstonedTopic, keys: readonly string[]) => {
    for (const topic of survey.topicCopies[id]) for (const key of keys) tombstones.push({ topic, key });
  };
  add('cases', [survey.reportId]);
  add('scorerReports', [survey.reportId]);
  add('scorerItems', survey.itemIds);
  add('suspectIdentifiers', survey.identifierRows);
  const { search } = survey;
  const nothingToErase =
    search.cases + search.items + search.actions + search.media === 0 &&
    deleteFiles.length === 0 &&
    survey.identifierRows.length === 0;
  return {
    reportId: survey.reportId,
    search,
    deleteFiles,
    keepFiles,
    tombstones,
    left: leftBehind(),
    nothingToErase,
  };
}
