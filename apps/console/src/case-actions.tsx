// The analysts' actions on a case (POST /v1/cases/{id}/actions, 202): claim, assign, status,
// disposition, note, legal authority; the tier override only for supervisors (the API refuses it
// to analysts anyway). The case view shows them within seconds, so the page reads it again.
import { useState } from 'preact/hooks';
import { errorText } from './api.ts';
import type { CaseView } from './api-types.ts';
import { useConsole } from './console-context.ts';
import { words } from './format.ts';

const statuses = ['new', 'in_review', 'escalated', 'closed'];
const dispositions = ['referred', 'no_further_action', 'insufficient_information', 'duplicate'];
const overrideTiers = ['P1', 'P2', 'P3'];

type ActionBody = { type: string } & Record<string, string>;

export function CaseActions(props: { view: CaseView; onDone: (message: string) => void }) {
  const { api, session } = useConsole();
  const found = props.view.case;
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState(found.triage?.status ?? 'in_review');
  const [disposition, setDisposition] = useState(dispositions[0]!);
  const [note, setNote] = useState('');
  const [assignee, setAssignee] = useState('');
  const [reference, setReference] = useState('');
  const [tier, setTier] = useState('P1');
  const [tierReason, setTierReason] = useState('');

  async function act(body: ActionBody, done: string) {
    setError(null);
    try {
      await api.json(`/v1/cases/${encodeURIComponent(found.reportId)}/actions`, {
        method: 'POST',
        body: found.version === undefined ? body : { ...body, reportVersion: found.version },
      });
      props.onDone(done);
    } catch (failure) {
      setError(errorText(failure));
    }
  }
  const submit = (body: ActionBody, done: string) => (event: SubmitEvent) => {
    event.preventDefault();
    void act(body, done);
  };

  return (
    <section class="panel actions" aria-labelledby="actions-title">
      <h2 id="actions-title">Actions</h2>
      {error !== null && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <div class="row">
        <button
          type="button"
          class="primary"
          data-testid="action-claim"
          onClick={() => void act({ type: 'claim' }, 'Claimed: assigned to you.')}
        >
          Claim
        </button>
        <span class="muted">assigned: {found.triage?.assignee ?? 'nobody'}</span>
      </div>
      <ChoiceAction
        id="action-status"
        label="Status"
        values={statuses}
        value={status}
        onChange={setStatus}
        submit="Set status"
        onSubmit={submit({ type: 'status', status }, `Status set to ${words(status)}.`)}
      />
      <ChoiceAction
        id="action-disposition"
        label="Disposition"
        values={dispositions}
        value={disposition}
        onChange={setDisposition}
        submit="Record disposition"
        onSubmit={submit({ type: 'disposition', disposition }, `Disposition ${words(disposition)} recorded.`)}
      />
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (note.trim() === '') return;
          void act({ type: 'note', text: note }, 'Note added.').then(() => setNote(''));
        }}
      >
        <label for="action-note">Note</label>
        <textarea
          id="action-note"
          data-testid="action-note"
          rows={3}
          maxLength={4000}
          value={note}
          onInput={(event) => setNote(event.currentTarget.value)}
        />
        <button type="submit" data-testid="action-note-submit" disabled={note.trim() === ''}>
          Add note
        </button>
      </form>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (assignee.trim() !== '')
            void act({ type: 'assign', assignee: assignee.trim() }, `Assigned to ${assignee.trim()}.`);
        }}
      >
        <label for="action-assign">Assign to (subject)</label>
        <div class="row">
          <input
            id="action-assign"
            value={assignee}
            placeholder={session.role === 'supervisor' ? 'analyst-2' : session.sub}
            spellcheck={false}
            onInput={(event) => setAssignee(event.currentTarget.value)}
          />
          <button type="submit" disabled={assignee.trim() === ''}>
            Assign
          </button>
        </div>
      </form>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (reference.trim() !== '')
            void act({ type: 'legalAuthority', reference: reference.trim() }, 'Legal authority recorded.');
        }}
      >
        <label for="action-legal">Legal authority (reference of the warrant or order)</label>
        <div class="row">
          <input
            id="action-legal"
            value={reference}
            onInput={(event) => setReference(event.currentTarget.value)}
          />
          <button type="submit" disabled={reference.trim() === ''}>
            Record
          </button>
        </div>
      </form>
      {session.role === 'supervisor' && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (tierReason.trim() !== '')
              void act({ type: 'tierOverride', tier, reason: tierReason.trim() }, `Filed under ${tier}.`);
          }}
        >
          <fieldset>
            <legend>Tier override (supervisors)</legend>
            <label for="action-tier">Tier</label>
            <select id="action-tier" value={tier} onChange={(event) => setTier(event.currentTarget.value)}>
              {overrideTiers.map((value) => (
                <option key={value} value={value}>
                  {value}
                </option>
              ))}
            </select>
            <label for="action-tier-reason">Why</label>
            <input
              id="action-tier-reason"
              value={tierReason}
              onInput={(event) => setTierReason(event.currentTarget.value)}
            />
            <button type="submit" disabled={tierReason.trim() === ''}>
              Override tier
            </button>
          </fieldset>
        </form>
      )}
    </section>
  );
}

/** A select and its submit button (test ids `<id>` and `<id>-submit`, as the contract names the status pair). */
function ChoiceAction(props: {
  id: string;
  label: string;
  values: readonly string[];
  value: string;
  onChange: (value: string) => void;
  submit: string;
  onSubmit: (event: SubmitEvent) => void;
}) {
  return (
    <form onSubmit={props.onSubmit}>
      <label for={props.id}>{props.label}</label>
      <div class="row">
        <select
          id={props.id}
          data-testid={props.id}
          value={props.value}
          onChange={(event) => props.onChange(event.currentTarget.value)}
        >
          {props.values.map((value) => (
            <option key={value} value={value}>
              {words(value)}
            </option>
          ))}
        </select>
        <button type="submit" data-testid={`${props.id}-submit`}>
          {props.submit}
        </button>
      </div>
    </form>
  );
}
