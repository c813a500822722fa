import type { Case, Report, TriageAction } from '@triage/schemas';

/** The analysts' state of a case, folded from its actions (`triage.actions.v1`). */
export interface TriageState {
  status: string | null;
  assignee: string | null;
  disposition: string | null;
  /** Tier a supervisor set instead of the scored one, with no reason here (the action keeps it). */
  tierOverride: string | null;
  /** Reference of the recorded legal authority (what lets an analyst reveal media). */
  legalAuthority: string | null;
  /** The newest action applied: actions at or before it are already in the state. */
  lastActionAt: number | null;
  lastActionId: string | null;
  actionCount: number;
}

/** The report's free text, of the newest report version seen: searched, never logged. */
export interface ReportText {
  version: number;
  text: string;
}

/**
 * A cases document: the newest case (when one arrived: `hasCase`), the report text and the
 * analysts' state. An action or report read before its case makes a document without case fields.
 */
export type CaseDocument = Partial<Omit<Case, 'reportId'>> & {
  reportId: string;
  hasCase: boolean;
  reportText: ReportText | null;
  triage: TriageState;
  /**
   * The tier the queue files the case under: a supervisor's override, else the scored `tier`
   * (null while neither is known). Folded here, so it is right whichever arrives first.
   */
  queueTier: string | null;
};

/** The fields the guard reads back from Elasticsearch before a write (never the whole case). */
export const caseGuardFields = [
  'reportId',
  'hasCase',
  'version',
  'provisional',
  'itemsSeen',
  'updatedAt',
  'reportText',
  'triage',
  // The scored tier: an override arriving alone recomputes `queueTier` from it.
  'tier',
] as const;

export type CaseGuardView = Pick<CaseDocument, 'reportId' | 'hasCase' | 'reportText' | 'triage'> &
  Partial<Pick<Case, 'version' | 'provisional' | 'itemsSeen' | 'updatedAt' | 'tier'>>;

/** What one batch brought for a report: its newest case, its actions in topic order, its newest report. */
export interface CaseChanges {
  reportId: string;
  case: Case | null;
  actions: TriageAction[];
  report: ReportText | null;
}

export type CaseRank = readonly [version: number, final: number, itemsSeen: number, updatedAt: number];

/**
 * How new a case is: a later report version first, then final over provisional, then more items
 * seen, then the later emission. The scorer has no sequence number, and a case re-emitted by a
 * scorer that lost its partition comes later in `cases.v1` than the newer case it is older than
 * (ADR 0009), so neither the offset nor `updatedAt` alone can order cases.
 */
export function caseRank(value: Pick<Case, 'version' | 'provisional' | 'itemsSeen' | 'updatedAt'>): CaseRank {
  return [value.version, value.provisional ? 0 : 1, value.itemsSeen, value.updatedAt];
}

/** Negative when `a` is older than `b`, 0 when as new, positive when newer. */
export function compareCaseRank(a: CaseRank, b: CaseRank): number {
  for (let index = 0; index < a.length; index++) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** The newer of two cases of one report (the first on a tie). */
export function newerCase(a: Case | null, b: Case): Case {
  return a === null || compareCaseRank(caseRank(b), caseRank(a)) > 0 ? b : a;
}

export const emptyTriageState: TriageState = {
  status: null,
  assignee: null,
  disposition: null,
  tierOverride: null,
  legalAuthority: null,
  lastActionAt: null,
  lastActionId: null,
  actionCount: 0,
};

/**
 * Applies an action unless the state already holds it or a newer one, ordered by (`at`,
 * `actionId`): a re-delivered action, or one re-applied by an instance that lost the partition,
 * changes nothing.
 */
export function applyAction(state: TriageState, action: TriageAction): TriageState {
  if (state.lastActionAt !== null && state.lastActionId !== null) {
    const order = action.at - state.lastActionAt || compareStrings(action.actionId, state.lastActionId);
    if (order <= 0) return state;
  }
  const next: TriageState = {
    ...state,
    lastActionAt: action.at,
    lastActionId: action.actionId,
    actionCount: state.actionCount + 1,
  };
  const payload = action.payload;
  switch (action.type) {
    case 'assign':
      next.assignee = payload.assignee ?? null;
      break;
    case 'status':
      next.status = payload.status ?? next.status;
      break;
    case 'disposition':
      next.disposition = payload.disposition ?? next.disposition;
      break;
    case 'legalAuthority':
      next.legalAuthority = payload.reference ?? next.legalAuthority;
      break;
    case 'tierOverride':
      next.tierOverride = payload.tier ?? next.tierOverride;
      break;
    default:
      // Notes and reveals are history (the actions index), not state.
      break;
  }
  return next;
}

/** The free text of a report that analysts search: what the reporter wrote, never the parties' identifiers. */
export function reportText(report: Report): ReportText {
  const parts = [
    report.incidentTypeText,
    report.incidentDateTimeDescription,
    report.escalateToHighPriority,
    report.platform,
    report.batchedReason,
    report.additionalInfo,
  ].filter((part): part is string => part !== null && part.trim() !== '');
  return { version: report.version, text: parts.join('\n') };
}

/** What to write for a report after a batch: nothing, the whole document, or its state and text only. */
export type CaseWrite =
  | { kind: 'none'; staleCase: boolean }
  | { kind: 'index'; document: CaseDocument; staleCase: false }
  | {
      kind: 'update';
      partial: Pick<CaseDocument, 'triage' | 'reportText' | 'queueTier'>;
      staleCase: boolean;
    };

/** The effective tier: the override wins over the scored tier. */
function queueTier(triage: TriageState, scoredTier: string | null | undefined): string | null {
  return triage.tierOverride ?? scoredTier ?? null;
}

/**
 * The stale-case guard and the fold, decided on what Elasticsearch holds (`current`, read with
 * `caseGuardFields`; null when there is no document) and what the batch brought. A case older than
 * the stored one is dropped; an as-new one is written again (a replay: the same document).
 */
export function planCaseWrite(current: CaseGuardView | null, changes: CaseChanges): CaseWrite {
  const before = current?.triage ?? emptyTriageState;
  const triage = changes.actions.reduce(applyAction, before);
  const storedText = current?.reportText ?? null;
  const text =
    changes.report !== null && (storedText === null || changes.report.version >= storedText.version)
      ? changes.report
      : storedText;
  const storedRank = current?.hasCase === true ? rankOfStored(current) : null;
  const newCase =
    changes.case !== null && (storedRank === null || compareCaseRank(caseRank(changes.case), storedRank) >= 0)
      ? changes.case
      : null;
  const staleCase = changes.case !== null && newCase === null;
  if (newCase !== null) {
    return {
      kind: 'index',
      document: {
        ...newCase,
        hasCase: true,
        reportText: text,
        triage,
        queueTier: queueTier(triage, newCase.tier),
      },
      staleCase: false,
    };
  }
  if (current !== null && triage === before && text === storedText) return { kind: 'none', staleCase };
  if (current === null) {
    return {
      kind: 'index',
      document: {
        reportId: changes.reportId,
        hasCase: false,
        reportText: text,
        triage,
        queueTier: queueTier(triage, null),
      },
      staleCase: false,
    };
  }
  // The stored tier is the one of the stored case (a stale case dropped here never changes it).
  const tier = current.hasCase ? current.tier : null;
  return {
    kind: 'update',
    partial: { triage, reportText: text, queueTier: queueTier(triage, tier) },
    staleCase,
  };
}

function rankOfStored(current: CaseGuardView): CaseRank | null {
  const { version, provisional, itemsSeen, updatedAt } = current;
  if (
    version === undefined ||
    provisional === undefined ||
    itemsSeen === undefined ||
    updatedAt === undefined
  ) {
    return null;
  }
  return caseRank({ version, provisional, itemsSeen, updatedAt });
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
