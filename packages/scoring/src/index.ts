export { type BuildCaseOptions, buildCase } from './build-case.ts';
export { type ContentNovelty, contentOf, type ReportEvidence } from './evidence.ts';
export type { FactorOutcome } from './factors/factor.ts';
export { factors } from './factors/index.ts';
export { type AppliedFloor, floorsOf, higherTier, isFloorReason, type ScoredTier } from './floors.ts';
export { defaultRulesPath, loadRules, type ScoringRules, type TierFloor } from './rules.ts';
export { type ReportScore, scoreReport, tierOf } from './score-report.ts';
export {
  type SuspectIdentifier,
  type SuspectIdentifierOptions,
  type SuspectIdentifierType,
  suspectIdentifiers,
} from './suspect-identifiers.ts';
export {
  type IdentifierKey,
  type IdentifierKeying,
  type IdentifierRow,
  type IdentifierRowSource,
  identifierRows,
  maxLinkedReports,
  parseRowKey,
  type ReportIdentifier,
  reportIdentifiers,
  rowKey,
  type SuspectIdKey,
  SuspectLinkIndex,
} from './suspect-links.ts';
