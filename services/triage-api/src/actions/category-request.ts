// The category actions of an item, as pure decisions: the step a request asks for, whether the
// four-eyes rules allow it (decideCategory, the rules the list writer folds the log with), and
// the TriageAction it records.
import type { Principal } from '@triage/auth';
import { TriageError } from '@triage/errors';
import { type CategoryState, type CategoryStep, decideCategory, type ItemHashes } from '@triage/hash-lists';
import type { TriageAction } from '@triage/schemas';

/** What the console sends: set, confirm, settle, withdraw (the TriageAction types they record). */
export const categoryVerbs = {
  set: 'categorise',
  confirm: 'confirmCategory',
  settle: 'settleCategory',
  withdraw: 'withdrawCategory',
} as const satisfies Record<string, CategoryStep['type']>;
type CategoryVerb = keyof typeof categoryVerbs;

/** A request body of `POST /v1/cases/{reportId}/items/{itemId}/category`. */
export interface CategoryRequest {
  action: CategoryVerb;
  category?: number;
  reason?: string;
  actionId?: string;
}

export interface CategoryFacts {
  principal: Principal;
  reportId: string;
  itemId: string;
  request: CategoryRequest;
  /** The item's hashes as the pipeline computed them (recorded on `set`). */
  hashes: ItemHashes;
  actionId: string;
  caseVersion: number;
  at: number;
  requestId: string;
}

/** The step a request asks for. */
function stepOf(facts: CategoryFacts): CategoryStep {
  return {
    type: categoryVerbs[facts.request.action],
    actor: facts.principal.sub,
    role: facts.principal.role,
    category: facts.request.category ?? null,
    reason: facts.request.reason ?? null,
    hashes: facts.hashes,
    at: facts.at,
  };
}

/**
 * The action a request records and the item's state after it; a step the rules refuse is the
 * rule's catalogue error (403 for who may not, 409 for the state, 400 for the input), pointing
 * at the field it is about.
 */
export function decideCategoryRequest(
  state: CategoryState,
  facts: CategoryFacts,
): { action: TriageAction; next: CategoryState } {
  const decision = decideCategory(state, stepOf(facts));
  if ('refused' in decision) {
    const pointer =
      decision.refused === 'TRIAGE_CATEGORY_INVALID' || decision.refused === 'TRIAGE_CATEGORY_MISMATCH'
        ? '/body/category'
        : decision.refused === 'TRIAGE_CATEGORY_REASON_REQUIRED'
          ? '/body/reason'
          : '/body/action';
    throw new TriageError(decision.refused, decision.detail, { pointer });
  }
  return { action: categoryAction(facts), next: decision.next };
}

/** The TriageAction (v3) of a request: the item, the category, the reason and, on `set`, the hashes. */
function categoryAction(facts: CategoryFacts): TriageAction {
  const { request } = facts;
  const payload: Record<string, string> = { itemId: facts.itemId };
  if (request.category !== undefined && request.action !== 'withdraw')
    payload.category = String(request.category);
  if (request.reason !== undefined) payload.reason = request.reason;
  if (request.action === 'set') {
    for (const [name, value] of Object.entries(facts.hashes)) if (value !== null) payload[name] = value;
  }
  return {
    actionId: facts.actionId,
    reportId: facts.reportId,
    reportVersion: facts.caseVersion,
    actor: facts.principal.sub,
    role: facts.principal.role,
    type: categoryVerbs[request.action],
    payload,
    at: facts.at,
    requestId: facts.requestId,
  };
}

/** What the API answers for an item's state (the console's view): no hashes, names of the callers. */
export function categoryView(itemId: string, state: CategoryState) {
  switch (state.status) {
    case 'uncategorised':
      return { itemId, status: state.status };
    case 'proposed':
      return {
        itemId,
        status: state.status,
        category: state.proposal.category,
        proposedBy: [state.proposal.actor],
      };
    case 'disputed':
      return {
        itemId,
        status: state.status,
        proposals: state.proposals.map(({ category, actor }) => ({ category, actor })),
        proposedBy: state.proposals.map((proposal) => proposal.actor),
      };
    case 'confirmed':
      return {
        itemId,
        status: state.status,
        category: state.category,
        proposedBy: state.proposedBy,
        confirmedBy: state.confirmedBy,
        settledReason: state.settledReason,
      };
    case 'withdrawn':
      return { itemId, status: state.status, category: state.category, withdrawnBy: state.withdrawnBy };
  }
}
