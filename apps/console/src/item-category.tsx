// An item's VICS category with a second pair of eyes (POST /v1/cases/{id}/items/{item}/category):
// an analyst sets it, a different analyst confirms it, a supervisor settles a disagreement with a
// reason, the confirmer or a supervisor withdraws a confirmation. The API decides (and refuses a
// self-confirmation with its code); the page shows its answer and the item's new state.
import { useEffect, useState } from 'preact/hooks';
import { errorText } from './api.ts';
import { useConsole } from './console-context.ts';

/** The US VICS categories (the importer's labels). */
const categories: readonly [number, string][] = [
  [0, 'non-pertinent'],
  [1, 'child abuse material'],
  [2, 'child exploitive / age difficult'],
  [3, 'CGI / animation'],
  [4, 'comparison images'],
];
const labelOf = (category: number | undefined) =>
  category === undefined
    ? '—'
    : `${category} (${categories.find(([value]) => value === category)?.[1] ?? '?'})`;

/** An item's state as `GET /v1/cases/{id}/categories` answers it. */
export interface CategoryView {
  itemId: string;
  status: 'uncategorised' | 'proposed' | 'disputed' | 'confirmed' | 'withdrawn';
  category?: number;
  proposedBy?: string[];
  proposals?: { category: number; actor: string }[];
  confirmedBy?: string;
  settledReason?: string | null;
  withdrawnBy?: string;
}

/** The case's category states by item id, read again whenever `version` changes. */
export function useCategories(reportId: string, version: number): Map<string, CategoryView> {
  const { api } = useConsole();
  const [states, setStates] = useState(new Map<string, CategoryView>());
  useEffect(() => {
    let live = true;
    api
      .json<{ items: CategoryView[] }>(`/v1/cases/${encodeURIComponent(reportId)}/categories`)
      .then((answer) => live && setStates(new Map(answer.items.map((item) => [item.itemId, item]))))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [api, reportId, version]);
  return states;
}

function describe(state: CategoryView): string {
  switch (state.status) {
    case 'uncategorised':
      return 'not categorised';
    case 'proposed':
      return `proposed ${labelOf(state.category)} by ${state.proposedBy?.join(', ')}; needs a second analyst`;
    case 'disputed':
      return `disputed: ${(state.proposals ?? []).map((p) => `${p.actor} says ${p.category}`).join(', ')}; a supervisor settles it`;
    case 'confirmed':
      return `confirmed ${labelOf(state.category)} by ${state.confirmedBy}${state.settledReason ? ` (settled: ${state.settledReason})` : ''}`;
    case 'withdrawn':
      return `confirmation of ${labelOf(state.category)} withdrawn by ${state.withdrawnBy}`;
  }
}

export function ItemCategory(props: {
  reportId: string;
  itemId: string;
  state: CategoryView | undefined;
  onChange: (state: CategoryView) => void;
}) {
  const { api, session } = useConsole();
  const state = props.state ?? { itemId: props.itemId, status: 'uncategorised' as const };
  const [category, setCategory] = useState(String(state.category ?? 1));
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const acting = session.role === 'analyst' || session.role === 'supervisor';
  // An id unique on the page, of characters an element id keeps plainly.
  const id = `category-${props.itemId.replace(/[^A-Za-z0-9_-]/g, '-')}`;

  async function act(body: { action: string; category?: number; reason?: string }) {
    setError(null);
    try {
      const answer = await api.json<{ state: CategoryView }>(
        `/v1/cases/${encodeURIComponent(props.reportId)}/items/${encodeURIComponent(props.itemId)}/category`,
        { method: 'POST', body },
      );
      setReason('');
      props.onChange(answer.state);
    } catch (failure) {
      setError(errorText(failure));
    }
  }
  const chosen = Number(category);
  const mine = state.proposedBy?.includes(session.sub) ?? false;

  return (
    <fieldset class="category" data-testid="item-category" data-status={state.status}>
      <legend>VICS category</legend>
      <p data-testid="item-category-state" aria-live="polite">
        {describe(state)}
      </p>
      {error !== null && (
        <p role="alert" class="error" data-testid="item-category-error">
          {error}
        </p>
      )}
      {acting && state.status !== 'confirmed' && (
        <div class="row">
          <label for={`${id}-value`}>Category</label>
          <select
            id={`${id}-value`}
            data-testid="item-category-value"
            value={category}
            onChange={(event) => setCategory(event.currentTarget.value)}
          >
            {categories.map(([value, label]) => (
              <option key={value} value={String(value)}>
                {value} {label}
              </option>
            ))}
          </select>
          {state.status !== 'disputed' && (
            <button
              type="button"
              data-testid="item-category-set"
              onClick={() => void act({ action: 'set', category: chosen })}
            >
              Set category
            </button>
          )}
          {state.status === 'proposed' && !mine && (
            <button
              type="button"
              class="primary"
              data-testid="item-category-confirm"
              onClick={() => void act({ action: 'confirm', category: state.category ?? chosen })}
            >
              Confirm {state.category}
            </button>
          )}
        </div>
      )}
      {session.role === 'supervisor' && state.status === 'disputed' && (
        <ReasonAction
          id={`${id}-settle-reason`}
          label="Why"
          testId="item-category-settle"
          submit={`Settle as ${chosen}`}
          reason={reason}
          onReason={setReason}
          onSubmit={() => void act({ action: 'settle', category: chosen, reason: reason.trim() })}
        />
      )}
      {state.status === 'confirmed' &&
        (session.role === 'supervisor' || state.confirmedBy === session.sub) && (
          <ReasonAction
            id={`${id}-withdraw-reason`}
            label="Why withdraw"
            testId="item-category-withdraw"
            submit="Withdraw confirmation"
            reason={reason}
            onReason={setReason}
            onSubmit={() => void act({ action: 'withdraw', reason: reason.trim() })}
          />
        )}
    </fieldset>
  );
}

/** A labelled reason and the button that sends it (enabled once the reason is not blank). */
function ReasonAction(props: {
  id: string;
  label: string;
  testId: string;
  submit: string;
  reason: string;
  onReason: (reason: string) => void;
  onSubmit: () => void;
}) {
  return (
    <div class="row">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        data-testid="item-category-reason"
        value={props.reason}
        onInput={(event) => props.onReason(event.currentTarget.value)}
      />
      <button
        type="button"
        data-testid={props.testId}
        disabled={props.reason.trim() === ''}
        onClick={props.onSubmit}
      >
        {props.submit}
      </button>
    </div>
  );
}
