// Hoster figures: notice cases folded from takedown events, and the figures of docs/hoster-figures.md.
export {
  type Attribute,
  applyCaseChange,
  type CaseChange,
  caseChangeOf,
  caseKey,
  type IpAttribution,
  unattributedAsn,
} from './case-changes.ts';
export { hosterIndices } from './case-index.ts';
export {
  computeFigures,
  type FiguresInput,
  type FiguresResult,
  norm12hMs,
  norm24hMs,
  type OverdueFilter,
  overdueItems,
} from './figures.ts';
export {
  emptyFigures,
  type HistogramBin,
  hosterTrend,
  type RemovalDistribution,
  removalDistribution,
  type SurvivalPoint,
  type TrendMonth,
} from './hoster-page.ts';
export { type RankingOptions, type RankingSortKey, rankHosters, rankingSortKeys } from './ranking.ts';
export type {
  FiguresWindow,
  HosterFigures,
  HosterId,
  NoticeCase,
  OverdueItem,
  Reappearance,
} from './types.ts';
