// The audit trail for auditors (GET /v1/audit): filters by actor, action, outcome, target and time,
// newest first, each row with its hash-chain id and sequence. The page cannot verify a chain (that
// needs every event of the chain): `pnpm triage audit verify --index` does, and the page says so.
import { useEffect, useState } from 'preact/hooks';
import { errorText } from './api.ts';
import { useConsole } from './console-context.ts';
import { utc, words } from './format.ts';
import { navigate } from './navigation.ts';
import { useApiRead } from './use-api.ts';

interface AuditRow {
  eventId: string;
  actor: string;
  role: string;
  action: string;
  targetType: string;
  targetId: string | null;
  query: string | null;
  reason: string | null;
  outcome: string;
  at: number;
  chain: { chainId: string; sequence: number; hash: string } | null;
}

/** GET /v1/audit/chain: the index's chains verified from the documents (auditors). */
interface ChainStatus {
  status: 'verified' | 'broken' | 'empty';
  complete: boolean;
  checkedAt: number;
  records: number;
  chains: { chainId: string }[];
  findingCount: number;
  findings: {
    kind: string;
    chainId: string | null;
    sequence: number | null;
    position: number;
    detail: string;
  }[];
}

interface AuditPage_ {
  items: AuditRow[];
  total: number;
  nextCursor: string | null;
}

const actions = [
  '',
  'search',
  'view_case',
  'view_media',
  'reveal',
  'export',
  'triage_action',
  'view_audit',
  'lookup_hash',
];
const outcomes = ['', 'allowed', 'denied', 'error'];
const targetTypes = ['', 'report', 'item', 'sha256', 'query', 'hoster', 'none', 'hash'];

/** `datetime-local` value (UTC) <-> epoch ms. */
const toEpoch = (value: string) => (value === '' ? null : Date.parse(`${value}:00Z`));
const fromEpoch = (value: string | null) =>
  value === null || Number.isNaN(Number(value)) ? '' : new Date(Number(value)).toISOString().slice(0, 16);

export function AuditPage(props: { search: string }) {
  const { api } = useConsole();
  const params = new URLSearchParams(props.search);
  const [page, setPage] = useState<AuditPage_ | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** Each Filter press reads the trail again, the same filter included (the indexer fills it behind). */
  const [tick, setTick] = useState(0);
  const { data: chain } = useApiRead<ChainStatus>('/v1/audit/chain');

  useEffect(() => {
    let live = true;
    const query = new URLSearchParams(props.search);
    query.set('limit', '100');
    setError(null);
    api
      .json<AuditPage_>(`/v1/audit?${query.toString()}`)
      .then((answer) => live && setPage(answer))
      .catch((failure: unknown) => live && setError(errorText(failure)));
    return () => {
      live = false;
    };
  }, [api, props.search, tick]);

  /** Older events: the next page of the same filters, added below. */
  async function loadOlder() {
    if (page?.nextCursor == null) return;
    const query = new URLSearchParams(props.search);
    query.set('limit', '100');
    query.set('cursor', page.nextCursor);
    try {
      const older = await api.json<AuditPage_>(`/v1/audit?${query.toString()}`);
      setPage({ ...older, items: [...page.items, ...older.items] });
    } catch (failure) {
      setError(errorText(failure));
    }
  }

  return (
    <section class="panel audit" aria-labelledby="audit-title">
      <h1 id="audit-title">Audit trail</h1>
      <div class="chain-status" data-testid="chain-status">
        <p>
          <strong>Chain status: </strong>
          {chain === null
            ? 'not checked here.'
            : `${chain.status}${chain.complete ? '' : ' (first documents only)'}: ${chain.records} events in ${chain.chains.length} chains, ${chain.findingCount} findings, checked ${utc(chain.checkedAt)}.`}{' '}
          Each row shows its chain and sequence. The full check (the index against the audit topic) is{' '}
          <code>pnpm triage audit verify --index</code>.
        </p>
        {chain !== null && chain.findings.length > 0 && (
          <ul class="small">
            {chain.findings.map((finding) => (
              <li key={`${finding.chainId}-${finding.position}`}>
                {finding.kind} in {finding.chainId ?? 'no chain'} at {finding.sequence ?? '—'}:{' '}
                {finding.detail}
              </li>
            ))}
          </ul>
        )}
      </div>
      <form
        class="audit-filters"
        onSubmit={(event) => {
          event.preventDefault();
          const form = new FormData(event.currentTarget as HTMLFormElement);
          const next = new URLSearchParams();
          for (const key of ['actor', 'action', 'outcome', 'targetType', 'targetId']) {
            const value = String(form.get(key) ?? '').trim();
            if (value !== '') next.set(key, value);
          }
          for (const key of ['from', 'to']) {
            const epoch = toEpoch(String(form.get(key) ?? ''));
            if (epoch !== null && !Number.isNaN(epoch)) next.set(key, String(epoch));
          }
          navigate(`/audit${next.toString() === '' ? '' : `?${next.toString()}`}`);
          setTick((value) => value + 1);
        }}
      >
        <label>
          Actor
          <input
            name="actor"
            data-testid="audit-actor"
            defaultValue={params.get('actor') ?? ''}
            spellcheck={false}
          />
        </label>
        <ChoiceFilter name="action" label="Action" values={actions} params={params} />
        <ChoiceFilter name="outcome" label="Outcome" values={outcomes} params={params} />
        <ChoiceFilter name="targetType" label="Target type" values={targetTypes} params={params} />
        <label>
          Target id
          <input name="targetId" defaultValue={params.get('targetId') ?? ''} spellcheck={false} />
        </label>
        <label>
          From (UTC)
          <input name="from" type="datetime-local" defaultValue={fromEpoch(params.get('from'))} />
        </label>
        <label>
          To (UTC)
          <input name="to" type="datetime-local" defaultValue={fromEpoch(params.get('to'))} />
        </label>
        <button type="submit" class="primary">
          Filter
        </button>
      </form>
      {error !== null && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <p>
        {page === null
          ? '…'
          : `${page.total} events${page.total > page.items.length ? ` (the newest ${page.items.length} shown)` : ''}`}
      </p>
      <table class="data">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Actor</th>
            <th scope="col">Action</th>
            <th scope="col">Target</th>
            <th scope="col">Outcome</th>
            <th scope="col">Reason / query</th>
            <th scope="col">Chain · sequence</th>
          </tr>
        </thead>
        <tbody>
          {(page?.items ?? []).map((row) => (
            <tr
              key={row.eventId}
              data-testid="audit-row"
              data-action={row.action}
              data-actor={row.actor}
              data-outcome={row.outcome}
            >
              <td class="nowrap">{utc(row.at)}</td>
              <td>
                {row.actor} <span class="muted">({row.role})</span>
              </td>
              <td>{words(row.action)}</td>
              <td class="mono small">
                {row.targetType}
                {row.targetId !== null &&
                  `: ${row.targetId.length > 40 ? `${row.targetId.slice(0, 40)}…` : row.targetId}`}
              </td>
              <td class={`outcome-${row.outcome}`}>{row.outcome}</td>
              <td class="small">{row.reason ?? row.query ?? '—'}</td>
              <td class="mono small">
                {row.chain === null ? 'no chain (v1 event)' : `${row.chain.chainId} · ${row.chain.sequence}`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {page?.nextCursor != null && (
        <button type="button" class="more" onClick={() => void loadOlder()}>
          Older events
        </button>
      )}
    </section>
  );
}

/** One of the trail's closed lists as a select; '' is any. */
function ChoiceFilter(props: {
  name: string;
  label: string;
  values: readonly string[];
  params: URLSearchParams;
}) {
  return (
    <label>
      {props.label}
      <select name={props.name} defaultValue={props.params.get(props.name) ?? ''}>
        {props.values.map((value) => (
          <option key={value} value={value}>
            {value === '' ? 'any' : words(value)}
          </option>
        ))}
      </select>
    </label>
  );
}
