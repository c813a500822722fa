// The four-eyes rules of an item's category, as pure decisions over the action log: an analyst
// proposes a VICS category, a DIFFERENT analyst confirms it, a supervisor settles a disagreement
// with a reason, a confirmation can be withdrawn. The API refuses what `decideCategory` refuses;
// the list writer folds the same log with the same function, ignoring what it would refuse (a
// race between two API instances), so both always agree on an item's state.
import type { TriageAction } from '@triage/schemas';
import { usCategoryLabels } from '../normalise.ts';

/** The VICS categories an analyst may give: the US VICS ones the importer labels (0-4). */
export const vicsCategories = Object.keys(usCategoryLabels).map(Number);

/** The TriageAction types of the category rules (TriageAction v3). */
export const categoryActionTypes = [
  'categorise',
  'confirmCategory',
  'settleCategory',
  'withdrawCategory',
] as const;
export type CategoryActionType = (typeof categoryActionTypes)[number];

/** The hashes the pipeline computed for an item, carried on its `categorise` actions. */
export interface ItemHashes {
  md5: string | null;
  sha1: string | null;
  sha256: string | null;
  pdq: string | null;
}

/** One analyst's call. */
interface CategoryCall {
  category: number;
  actor: string;
  at: number;
}

/**
 * An item's category: none yet; proposed by one analyst; disputed (two analysts gave different
 * categories); confirmed (by a second analyst, or settled by a supervisor); withdrawn (a
 * confirmation taken back; a new proposal starts again).
 */
export type CategoryState =
  | { status: 'uncategorised' }
  | { status: 'proposed'; proposal: CategoryCall; hashes: ItemHashes }
  | { status: 'disputed'; proposals: CategoryCall[]; hashes: ItemHashes }
  | {
      status: 'confirmed';
      category: number;
      /** Who made the call(s) that were confirmed. */
      proposedBy: string[];
      confirmedBy: string;
      /** The supervisor's reason when a disagreement was settled; null for a second analyst's confirmation. */
      settledReason: string | null;
      at: number;
      hashes: ItemHashes;
    }
  | {
      status: 'withdrawn';
      category: number;
      withdrawnBy: string;
      reason: string;
      at: number;
      hashes: ItemHashes;
    };

export const uncategorised: CategoryState = { status: 'uncategorised' };

/** What a category action asks, read from a TriageAction (or a request before it is one). */
export interface CategoryStep {
  type: CategoryActionType;
  actor: string;
  role: TriageAction['role'];
  category: number | null;
  reason: string | null;
  hashes: ItemHashes;
  at: number;
}

/** Why a step is refused; each is a catalogue error code the API answers with. */
export type CategoryRefusal =
  | 'TRIAGE_CATEGORY_INVALID'
  | 'TRIAGE_CATEGORY_CONFIRMED'
  | 'TRIAGE_CATEGORY_SELF_CONFIRMATION'
  | 'TRIAGE_CATEGORY_NOT_PROPOSED'
  | 'TRIAGE_CATEGORY_MISMATCH'
  | 'TRIAGE_CATEGORY_DISPUTED'
  | 'TRIAGE_CATEGORY_SETTLE_FORBIDDEN'
  | 'TRIAGE_CATEGORY_REASON_REQUIRED'
  | 'TRIAGE_CATEGORY_NOT_CONFIRMED'
  | 'TRIAGE_CATEGORY_WITHDRAW_FORBIDDEN';

export type CategoryDecision = { next: CategoryState } | { refused: CategoryRefusal; detail: string };

const refuse = (refused: CategoryRefusal, detail: string): CategoryDecision => ({ refused, detail });

/** The category rules: the state after `step`, or why it is refused. */
export function decideCategory(state: CategoryState, step: CategoryStep): CategoryDecision {
  const needsCategory = step.type !== 'withdrawCategory';
  if (needsCategory && (step.category === null || !vicsCategories.includes(step.category))) {
    return refuse('TRIAGE_CATEGORY_INVALID', `category must be one of ${vicsCategories.join(', ')}`);
  }
  switch (step.type) {
    case 'categorise':
      return categorise(state, step, step.category!);
    case 'confirmCategory':
      return confirm(state, step, step.category!);
    case 'settleCategory':
      return settle(state, step, step.category!);
    case 'withdrawCategory':
      return withdraw(state, step);
  }
}

/**
 * A proposal: the first one, or the proposer's own revision; another analyst's different call
 * makes a dispute (the same call is their confirmation); refused once confirmed (withdraw first).
 */
function categorise(state: CategoryState, step: CategoryStep, category: number): CategoryDecision {
  const call: CategoryCall = { category, actor: step.actor, at: step.at };
  switch (state.status) {
    case 'uncategorised':
    case 'withdrawn':
      return { next: { status: 'proposed', proposal: call, hashes: step.hashes } };
    case 'proposed':
      if (state.proposal.actor === step.actor) return { next: { ...state, proposal: call } };
      if (state.proposal.category === category) return confirm(state, step, category);
      return { next: { status: 'disputed', proposals: [state.proposal, call], hashes: state.hashes } };
    case 'disputed': {
      const others = state.proposals.filter((proposal) => proposal.actor !== step.actor);
      return { next: { ...state, proposals: [...others, call] } };
    }
    case 'confirmed':
      return refuse(
        'TRIAGE_CATEGORY_CONFIRMED',
        'the category is confirmed: withdraw the confirmation first',
      );
  }
}

/** A second pair of eyes: someone other than the proposer, agreeing with the proposed category. */
function confirm(state: CategoryState, step: CategoryStep, category: number): CategoryDecision {
  if (state.status === 'disputed') {
    return refuse('TRIAGE_CATEGORY_DISPUTED', 'analysts disagree on this item: a supervisor settles it');
  }
  if (state.status === 'confirmed')
    return refuse('TRIAGE_CATEGORY_CONFIRMED', 'the category is already confirmed');
  if (state.status !== 'proposed')
    return refuse('TRIAGE_CATEGORY_NOT_PROPOSED', 'no category is proposed for this item');
  if (state.proposal.actor === step.actor) {
    return refuse(
      'TRIAGE_CATEGORY_SELF_CONFIRMATION',
      'nobody confirms their own category: another analyst must',
    );
  }
  if (state.proposal.category !== category) {
    return refuse(
      'TRIAGE_CATEGORY_MISMATCH',
      `the proposed category is ${state.proposal.category}: confirm that one, or propose yours`,
    );
  }
  return {
    next: {
      status: 'confirmed',
      category,
      proposedBy: [state.proposal.actor],
      confirmedBy: step.actor,
      settledReason: null,
      at: step.at,
      hashes: state.hashes,
    },
  };
}

/** A supervisor decides a disagreement, with a reason; not one they took part in. */
function settle(state: CategoryState, step: CategoryStep, category: number): CategoryDecision {
  if (step.role !== 'supervisor')
    return refuse('TRIAGE_CATEGORY_SETTLE_FORBIDDEN', 'only a supervisor settles a disagreement');
  if (step.reason === null || step.reason.trim() === '') {
    return refuse('TRIAGE_CATEGORY_REASON_REQUIRED', 'settling a disagreement needs a reason');
  }
  if (state.status === 'confirmed')
    return refuse('TRIAGE_CATEGORY_CONFIRMED', 'the category is already confirmed');
  if (state.status !== 'disputed')
    return refuse('TRIAGE_CATEGORY_NOT_PROPOSED', 'there is no disagreement to settle');
  if (state.proposals.some((proposal) => proposal.actor === step.actor)) {
    return refuse(
      'TRIAGE_CATEGORY_SELF_CONFIRMATION',
      'a supervisor who made one of the calls does not settle them',
    );
  }
  return {
    next: {
      status: 'confirmed',
      category,
      proposedBy: state.proposals.map((proposal) => proposal.actor),
      confirmedBy: step.actor,
      settledReason: step.reason,
      at: step.at,
      hashes: state.hashes,
    },
  };
}

/** The confirmer or a supervisor takes a confirmation back, with a reason; the list entry goes. */
function withdraw(state: CategoryState, step: CategoryStep): CategoryDecision {
  if (state.status !== 'confirmed')
    return refuse('TRIAGE_CATEGORY_NOT_CONFIRMED', 'the category is not confirmed');
  if (step.role !== 'supervisor' && step.actor !== state.confirmedBy) {
    return refuse(
      'TRIAGE_CATEGORY_WITHDRAW_FORBIDDEN',
      'only the confirmer or a supervisor withdraws a confirmation',
    );
  }
  if (step.reason === null || step.reason.trim() === '') {
    return refuse('TRIAGE_CATEGORY_REASON_REQUIRED', 'withdrawing a confirmation needs a reason');
  }
  return {
    next: {
      status: 'withdrawn',
      category: state.category,
      withdrawnBy: step.actor,
      reason: step.reason,
      at: step.at,
      hashes: state.hashes,
    },
  };
}

const isCategoryAction = (type: string): type is CategoryActionType =>
  (categoryActionTypes as readonly string[]).includes(type);

const hashOf = (payload: Record<string, string>, name: keyof ItemHashes): string | null =>
  payload[name] || null;

/** The step a category action records, or null for any other action or one without an item. */
export function categoryStepOf(action: TriageAction): (CategoryStep & { itemId: string }) | null {
  if (!isCategoryAction(action.type)) return null;
  const { payload } = action;
  const itemId = payload.itemId;
  if (itemId === undefined || itemId === '') return null;
  const category = payload.category === undefined ? null : Number(payload.category);
  return {
    itemId,
    type: action.type,
    actor: action.actor,
    role: action.role,
    category: category !== null && Number.isInteger(category) ? category : null,
    reason: payload.reason ?? null,
    hashes: {
      md5: hashOf(payload, 'md5'),
      sha1: hashOf(payload, 'sha1'),
      sha256: hashOf(payload, 'sha256'),
      pdq: hashOf(payload, 'pdq'),
    },
    at: action.at,
  };
}

/** The key of an item's category state: report and item (an item id is unique within its report). */
const itemKey = (reportId: string, itemId: string): string => `${reportId}\u0000${itemId}`;

/** Where a ledger keeps its items' states and the ids of the actions it applied: in memory, or tables on disk. */
export interface CategoryLedgerRows {
  state(key: string): CategoryState | undefined;
  setState(key: string, state: CategoryState): void;
  /** Items' states in key order, only those whose key starts with `prefix` when given. */
  states(prefix?: string): Iterable<[string, CategoryState]>;
  applied(actionId: string): boolean;
  markApplied(actionId: string): void;
}

/** The ledger's rows in memory. */
function memoryLedgerRows(): CategoryLedgerRows {
  const states = new Map<string, CategoryState>();
  const applied = new Set<string>();
  return {
    state: (key) => states.get(key),
    setState: (key, state) => void states.set(key, state),
    *states(prefix) {
      const keys = [...states.keys()].filter((key) => prefix === undefined || key.startsWith(prefix)).sort();
      for (const key of keys) yield [key, states.get(key)!];
    },
    applied: (actionId) => applied.has(actionId),
    markApplied: (actionId) => void applied.add(actionId),
  };
}

/**
 * Every item's category state after `actions`, in log order (the order of one report's partition;
 * items of different reports do not interact). Refused steps change nothing; an action seen twice
 * (a redelivery) is applied once.
 */
export class CategoryLedger {
  readonly #rows: CategoryLedgerRows;

  constructor(rows: CategoryLedgerRows = memoryLedgerRows()) {
    this.#rows = rows;
  }

  /** Applies one action; returns the item's key when its state changed. */
  apply(action: TriageAction): string | null {
    const step = categoryStepOf(action);
    if (step === null || this.#rows.applied(action.actionId)) return null;
    this.#rows.markApplied(action.actionId);
    const key = itemKey(action.reportId, step.itemId);
    const decision = decideCategory(this.state(action.reportId, step.itemId), step);
    if ('refused' in decision) return null;
    this.#rows.setState(key, decision.next);
    return key;
  }

  state(reportId: string, itemId: string): CategoryState {
    return this.#rows.state(itemKey(reportId, itemId)) ?? uncategorised;
  }

  /** The report's items that have a state, in item id order. */
  *items(reportId: string): Iterable<{ itemId: string; state: CategoryState }> {
    const prefix = itemKey(reportId, '');
    for (const [key, state] of this.#rows.states(prefix)) yield { itemId: key.slice(prefix.length), state };
  }

  /** Every item with a state, by key. */
  entries(): Iterable<[string, CategoryState]> {
    return this.#rows.states();
  }
}

/** The items' states of a log, folded from nothing (the pure form of the ledger). */
export function foldCategories(actions: Iterable<TriageAction>): CategoryLedger {
  const ledger = new CategoryLedger();
  for (const action of actions) ledger.apply(action);
  return ledger;
}
