// The queue: GET /v1/cases with its filters and facets as controls, the rows the analyst works
// through, keyboard first (j/k, Enter, c, /). The URL holds every filter and the place in the pages.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { errorText } from './api.ts';
import type { Bucket, CaseQueue, CaseSummary } from './api-types.ts';
import { useConsole } from './console-context.ts';
import { words } from './format.ts';
import { moveSelection, queueCommand } from './keyboard.ts';
import { keyPress, navigate, onLinkClick } from './navigation.ts';
import { lastOpened, rememberOrder } from './queue-order.ts';
import {
  casesApiSearch,
  filterSearch,
  type ListFilter,
  nextPage,
  pageNumber,
  parseQueueSearch,
  previousPage,
  type QueueState,
  queueSearch,
  toggleFilter,
  withQuery,
} from './queue-state.ts';
import { reasonBars, signed } from './reason-bars.ts';
import { casePath } from './routes.ts';
import { SavedFilters } from './saved-filters-panel.tsx';
import { TeamExposure } from './team-exposure.tsx';
import { TierBadge } from './tier-badge.tsx';

const pageSize = 25;
const tiers = ['P1', 'P2', 'P3', 'P4'];

export function QueuePage(props: { search: string }) {
  const { api, session } = useConsole();
  const state = useMemo(() => parseQueueSearch(props.search), [props.search]);
  const [queue, setQueue] = useState<CaseQueue | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [notice, setNotice] = useState('');
  const [reload, setReload] = useState(0);
  const searchBox = useRef<HTMLInputElement>(null);

  const go = (next: QueueState) => navigate(`/${queueSearch(next)}`);
  useEffect(() => {
    let live = true;
    setError(null);
    api
      .json<CaseQueue>(`/v1/cases${casesApiSearch(state, pageSize)}`)
      .then((answer) => {
        if (!live) return;
        setQueue(answer);
        rememberOrder(
          sessionStorage,
          answer.items.map((item) => item.reportId),
        );
        setSelected((current) => {
          if (current !== null) return Math.min(current, answer.items.length - 1);
          const opened = answer.items.findIndex((item) => item.reportId === lastOpened(sessionStorage));
          return opened === -1 ? null : opened;
        });
      })
      .catch((failure: unknown) => live && setError(errorText(failure)));
    return () => {
      live = false;
    };
  }, [api, state, reload]);

  const rows = queue?.items ?? [];

  async function claim(row: CaseSummary) {
    setNotice(`Claiming ${row.reportId}…`);
    try {
      await api.json(`/v1/cases/${encodeURIComponent(row.reportId)}/actions`, {
        method: 'POST',
        body: { type: 'claim' },
      });
      setNotice(`Claimed ${row.reportId}. The queue shows it within seconds.`);
      for (const ms of [1_500, 5_000]) setTimeout(() => setReload((tick) => tick + 1), ms);
    } catch (failure) {
      setNotice(`Could not claim ${row.reportId}: ${errorText(failure)}`);
    }
  }

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const command = queueCommand(keyPress(event));
      if (command === null) return;
      event.preventDefault();
      if (command === 'search') return searchBox.current?.focus();
      if (command === 'down' || command === 'up') {
        const next = moveSelection(selected, rows.length, command);
        setSelected(next);
        if (next !== null) document.getElementById(`row-${next}`)?.scrollIntoView({ block: 'nearest' });
        return;
      }
      const row = selected === null ? undefined : rows[selected];
      if (row === undefined) return;
      if (command === 'open') navigate(casePath(row.reportId));
      else void claim(row);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const facets = queue?.facets ?? {};
  return (
    <div class="queue-layout">
      <aside class="filters" aria-label="Filters">
        <h2>Filters</h2>
        <fieldset>
          <legend>Tier</legend>
          {tiers.map((tier) => (
            <label key={tier} class="check">
              <input
                type="checkbox"
                data-testid={`filter-tier-${tier}`}
                checked={state.filters.tier.includes(tier)}
                onChange={() => go(toggleFilter(state, 'tier', tier))}
              />
              <TierBadge tier={tier} /> <span class="count">{countOf(facets.tier, tier)}</span>
            </label>
          ))}
        </fieldset>
        <FacetGroup state={state} name="status" legend="Status" buckets={facets.status} go={go} />
        <FacetGroup state={state} name="novelty" legend="Content" buckets={facets.novelty} go={go} />
        <FacetGroup
          state={state}
          name="incidentType"
          legend="Incident type"
          buckets={facets.incidentType}
          go={go}
        />
        <FacetGroup state={state} name="partner" legend="Partner" buckets={facets.partner} go={go} />
        <FacetGroup state={state} name="country" legend="Country" buckets={facets.country} go={go} />
        <fieldset>
          <legend>Jurisdiction</legend>
          <label for="filter-jurisdiction" class="visually-hidden">
            In jurisdiction
          </label>
          <select
            id="filter-jurisdiction"
            value={state.inJurisdiction === null ? '' : String(state.inJurisdiction)}
            onChange={(event) => {
              const value = event.currentTarget.value;
              go(withQuery(state, { inJurisdiction: value === '' ? null : value === 'true' }));
            }}
          >
            <option value="">any</option>
            <option value="true">in jurisdiction</option>
            <option value="false">not in jurisdiction</option>
          </select>
        </fieldset>
        <TextFilter state={state} name="knownList" label="Known list (name)" go={go} />
        <TextFilter state={state} name="assignee" label="Assignee (subject)" go={go} />
        <SavedFilters current={filterSearch(state)} onApply={(search) => navigate(`/${search}`)} />
        {session.role === 'supervisor' && <TeamExposure />}
      </aside>

      <section class="queue" aria-labelledby="queue-title">
        <div class="queue-bar">
          <h1 id="queue-title">Queue</h1>
          <form
            class="search"
            onSubmit={(event) => {
              event.preventDefault();
              const input = searchBox.current;
              go(withQuery(state, { q: input?.value.trim() ?? '' }));
            }}
          >
            <label for="queue-search" class="visually-hidden">
              Search report text
            </label>
            <input
              id="queue-search"
              ref={searchBox}
              type="search"
              data-testid="queue-search"
              placeholder="Search report text (press /)"
              defaultValue={state.q}
              key={state.q}
            />
            <button type="submit">Search</button>
          </form>
          <label class="inline">
            Sort
            <select
              value={state.sort}
              onChange={(event) =>
                go(
                  withQuery(state, { sort: event.currentTarget.value === 'received' ? 'received' : 'score' }),
                )
              }
            >
              <option value="score">priority (tier, score)</option>
              <option value="received">newest received</option>
            </select>
          </label>
        </div>
        <p class="queue-meta">
          <span data-testid="queue-total">{queue === null ? '…' : `${queue.total} cases`}</span>
          <span> · page {pageNumber(state)}</span>
          <span class="muted"> · keys: j/k move, Enter opens, c claims, / searches</span>
        </p>
        <p class="notice" aria-live="polite">
          {notice}
        </p>
        {error !== null && (
          <p role="alert" class="error">
            {error}
          </p>
        )}
        <table
          class="queue-table"
          // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: a grid: rows are selected with j/k and opened with Enter
          role="grid"
          aria-label="Cases"
          aria-readonly="true"
        >
          <thead>
            <tr>
              <th scope="col">Tier</th>
              <th scope="col">Score</th>
              <th scope="col">Report</th>
              <th scope="col">Top reasons</th>
              <th scope="col">Items</th>
              <th scope="col">Content</th>
              <th scope="col">Jurisdiction</th>
              <th scope="col">Assignee</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, index) => (
              <QueueRow
                key={row.reportId}
                row={row}
                index={index}
                selected={index === selected}
                onSelect={() => setSelected(index)}
              />
            ))}
          </tbody>
        </table>
        {queue !== null && rows.length === 0 && <p class="empty">No case matches these filters.</p>}
        <nav class="pager" aria-label="Pages">
          <button
            type="button"
            data-testid="queue-prev-page"
            disabled={state.cursor === null}
            onClick={() => go(previousPage(state))}
          >
            ← Previous
          </button>
          <button
            type="button"
            data-testid="queue-next-page"
            disabled={queue?.nextCursor == null}
            onClick={() => queue?.nextCursor != null && go(nextPage(state, queue.nextCursor))}
          >
            Next →
          </button>
        </nav>
      </section>
    </div>
  );
}

function countOf(buckets: Bucket[] | undefined, value: string): number {
  return buckets?.find((bucket) => bucket.value === value)?.count ?? 0;
}

function FacetGroup(props: {
  state: QueueState;
  name: ListFilter;
  legend: string;
  buckets: Bucket[] | undefined;
  go: (state: QueueState) => void;
}) {
  const selected = props.state.filters[props.name];
  const values = [
    ...(props.buckets ?? []).map((bucket) => bucket.value),
    ...selected.filter((value) => !(props.buckets ?? []).some((bucket) => bucket.value === value)),
  ];
  if (values.length === 0) return null;
  return (
    <fieldset>
      <legend>{props.legend}</legend>
      {values.map((value) => (
        <label key={value} class="check">
          <input
            type="checkbox"
            checked={selected.includes(value)}
            onChange={() => props.go(toggleFilter(props.state, props.name, value))}
          />
          {words(value)} <span class="count">{countOf(props.buckets, value)}</span>
        </label>
      ))}
    </fieldset>
  );
}

function TextFilter(props: {
  state: QueueState;
  name: ListFilter;
  label: string;
  go: (state: QueueState) => void;
}) {
  const id = `filter-${props.name}`;
  const current = props.state.filters[props.name].join(', ');
  return (
    <form
      class="text-filter"
      onSubmit={(event) => {
        event.preventDefault();
        const input = (event.currentTarget as HTMLFormElement).elements.namedItem(id) as HTMLInputElement;
        const values = input.value
          .split(',')
          .map((value) => value.trim())
          .filter((value) => value !== '');
        props.go(withQuery(props.state, { filters: { [props.name]: values } }));
      }}
    >
      <label for={id}>{props.label}</label>
      <div class="row">
        <input id={id} name={id} defaultValue={current} key={current} spellcheck={false} />
        <button type="submit">Apply</button>
      </div>
    </form>
  );
}

function contentOf(row: CaseSummary): string {
  const items = row.items ?? [];
  const known = items.filter((item) => item.novelty === 'known').length;
  const fresh = items.filter((item) => item.novelty === 'new').length;
  const parts = [];
  if (fresh > 0) parts.push(`${fresh} new`);
  if (known > 0) parts.push(`${known} known`);
  const other = items.length - fresh - known;
  if (other > 0) parts.push(`${other} seen/near`);
  return parts.join(', ') || '—';
}

function jurisdictionOf(row: CaseSummary): string {
  const enrichment = row.enrichment;
  const countries = (enrichment?.countryCodes ?? []).join(' ') || '—';
  const flag =
    enrichment?.inJurisdiction === true ? 'in' : enrichment?.inJurisdiction === false ? 'out' : '?';
  return `${countries} (${flag})`;
}

function QueueRow(props: { row: CaseSummary; index: number; selected: boolean; onSelect: () => void }) {
  const { row } = props;
  const tier = row.queueTier ?? row.tier ?? '—';
  const reasons = reasonBars(row.reasons ?? []).slice(0, 2);
  return (
    <tr
      id={`row-${props.index}`}
      data-testid="queue-row"
      data-report-id={row.reportId}
      aria-selected={props.selected ? 'true' : 'false'}
      class={props.selected ? 'selected' : undefined}
      onClick={props.onSelect}
    >
      <td>
        <TierBadge tier={tier} />
        {row.queueTier != null && row.tier !== undefined && row.queueTier !== row.tier && (
          <span class="muted small"> (scored {row.tier})</span>
        )}
      </td>
      <td class="num">{row.score?.toFixed(1) ?? '—'}</td>
      <td>
        <a href={casePath(row.reportId)} onClick={onLinkClick}>
          {row.reportId}
        </a>
        <div class="muted small">{words(row.report?.incidentType)}</div>
      </td>
      <td class="reasons-cell">
        {reasons.length === 0
          ? '—'
          : reasons.map((reason) => (
              <div key={reason.factor}>
                {reason.label}{' '}
                {reason.kind !== 'floor' && <span class="muted">{signed(reason.contribution)}</span>}
              </div>
            ))}
      </td>
      <td class="num">
        {row.itemsSeen ?? 0}/{row.itemsExpected ?? 0}
        {row.provisional === true && <span class="muted small"> provisional</span>}
      </td>
      <td>{contentOf(row)}</td>
      <td>{jurisdictionOf(row)}</td>
      <td>{row.triage?.assignee ?? '—'}</td>
      <td>{words(row.triage?.status ?? 'new')}</td>
    </tr>
  );
}
