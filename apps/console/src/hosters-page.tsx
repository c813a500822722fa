// The hoster ranking (GET /v1/hosters) for supervisors and auditors: the period, country, minimum
// notices and the figure to rank by in the URL; a row per hoster (or per hoster within the country)
// with a bar for that figure, linking to the hoster's page; the same rows as CSV, fetched with the
// token and saved.
import { useState } from 'preact/hooks';
import { errorText } from './api.ts';
import { useConsole } from './console-context.ts';
import { utc } from './format.ts';
import type { HosterFigures, HosterRanking } from './hoster-types.ts';
import {
  type FigureKey,
  figureInfo,
  figureKeys,
  figureText,
  hosterName,
  periodSearch,
  type RankingFilter,
  rankingBars,
  rankingFilter,
  rankingQuery,
  removalTimeText,
} from './hoster-view.ts';
import { navigate, onLinkClick } from './navigation.ts';
import { saveFile } from './save-file.ts';
import { useApiRead } from './use-api.ts';

export function HostersPage(props: { search: string }) {
  const { api } = useConsole();
  // The default period is read once per page (a "now" that moved on every render would re-query).
  const [now] = useState(Date.now);
  const filter = rankingFilter(props.search, now);
  const query = rankingQuery(filter);
  const { data, error } = useApiRead<HosterRanking>(`/v1/hosters?${query}`);
  const [download, setDownload] = useState<string | null>(null);
  const rows = data?.hosters ?? [];
  const bars = rankingBars(rows, filter.sort);
  const linkSearch = periodSearch(filter);

  async function downloadCsv() {
    setDownload('Preparing the CSV…');
    try {
      const blob = await api.file(`/v1/hosters?${query}&format=csv`, 'text/csv');
      saveFile(blob, `hosters-${filter.from}${filter.to === '' ? '' : `-${filter.to}`}.csv`);
      setDownload(`CSV saved: ${rows.length} rows.`);
    } catch (failure) {
      setDownload(`The CSV failed: ${errorText(failure)}`);
    }
  }

  return (
    <section class="panel hosters" aria-labelledby="hosters-title">
      <h1 id="hosters-title">Hosters: notice and takedown</h1>
      <p class="muted">
        Hosters are autonomous systems (networks) named by the IP each notice recorded. An AS is often a
        datacentre that resells capacity, so every figure is per network, not per brand. Figures follow
        docs/hoster-figures.md; content still online stays in every share.
      </p>
      <RankingForm filter={filter} />
      {error !== null && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <div class="row">
        <p class="grow" data-testid="hosters-summary" aria-live="polite">
          {data === null
            ? 'Loading…'
            : `${rows.length} ${rows.length === 1 ? 'row' : 'rows'}${data.country === null ? '' : ` in ${data.country}`}, ranked by ${figureInfo[filter.sort].label.toLowerCase()}; notices first sent from ${utc(Date.parse(data.period.from))} up to ${utc(Date.parse(data.period.to))} (not included), as of ${utc(Date.parse(data.period.asOf))}.`}
        </p>
        <button
          type="button"
          data-testid="hosters-csv"
          onClick={() => void downloadCsv()}
          disabled={data === null}
        >
          Download CSV
        </button>
      </div>
      {download !== null && (
        <p class="small muted" role="status" data-testid="download-status">
          {download}
        </p>
      )}
      <table class="data hoster-ranking">
        <caption class="visually-hidden">Hosters ranked by {figureInfo[filter.sort].label}</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Hoster (AS)</th>
            <th scope="col">Country</th>
            <th scope="col" class="bar-column">
              {figureInfo[filter.sort].label}
            </th>
            <th scope="col" class="num">
              Notices
            </th>
            <th scope="col" class="num">
              Within 24 h
            </th>
            <th scope="col" class="num">
              Median removal
            </th>
            <th scope="col" class="num">
              Online now
            </th>
            <th scope="col" class="num">
              Overdue
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr
              key={`${row.asn}-${row.country ?? ''}`}
              data-testid="hoster-row"
              data-asn={row.asn}
              data-value={JSON.stringify(row[filter.sort])}
            >
              <td class="num muted">{index + 1}</td>
              <td>
                <a href={`/hosters/${row.asn}?${linkSearch}`} onClick={onLinkClick} data-testid="hoster-link">
                  {hosterName(row)}
                </a>
              </td>
              <td>{row.country ?? row.countries.join(', ')}</td>
              <td class="bar-column">
                <FigureBar figure={filter.sort} row={row} percent={bars[index] ?? null} />
              </td>
              <td class="num">{row.notices}</td>
              <td class="num">{figureText('removedWithin24hShare', row.removedWithin24hShare)}</td>
              <td class="num">{removalTimeText(row.medianTimeToRemovalMs, row.notices)}</td>
              <td class="num">{row.onlineNow}</td>
              <td class="num">{row.overdueNow}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {data !== null && rows.length === 0 && <p class="muted">No hoster has notices for these filters.</p>}
    </section>
  );
}

/** A horizontal bar with the value in text beside it (the text is what a screen reader reads). */
function FigureBar(props: { figure: FigureKey; row: HosterFigures; percent: number | null }) {
  const { figure, row } = props;
  const value = row[figure];
  return (
    <span class="figure-bar">
      <span class="figure-bar-track" aria-hidden="true">
        {props.percent !== null && <span class="figure-bar-fill" style={{ width: `${props.percent}%` }} />}
      </span>
      <span class="figure-bar-value" data-testid="bar-value">
        {figure === 'medianTimeToRemovalMs' || figure === 'p90TimeToRemovalMs'
          ? removalTimeText(row[figure], row.notices)
          : figureText(figure, value)}
      </span>
    </span>
  );
}

function RankingForm(props: { filter: RankingFilter }) {
  const { filter } = props;
  // Selects are controlled: Preact sets no default selection from `defaultValue` on a <select>.
  const [sort, setSort] = useState<string>(filter.sort);
  const [order, setOrder] = useState<string>(filter.order);
  return (
    <form
      class="audit-filters hoster-filters"
      // A new filter is a new URL: back and forward walk through them.
      key={JSON.stringify(filter)}
      onSubmit={(event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget as HTMLFormElement);
        const next = new URLSearchParams();
        for (const key of ['from', 'to', 'asOf', 'country', 'minNotices', 'sort', 'order']) {
          const value = String(form.get(key) ?? '').trim();
          if (value !== '' && !(key === 'minNotices' && value === '0')) next.set(key, value);
        }
        navigate(`/hosters?${next.toString()}`);
      }}
    >
      <PeriodFields filter={filter} />
      <label>
        Country
        <input
          name="country"
          data-testid="filter-country"
          defaultValue={filter.country}
          placeholder="any (e.g. NL)"
          size={10}
          maxLength={2}
          pattern="[A-Za-z]{2}"
          spellcheck={false}
        />
      </label>
      <label>
        Minimum notices
        <input
          name="minNotices"
          data-testid="filter-min-notices"
          type="number"
          min={0}
          step={1}
          defaultValue={String(filter.minNotices)}
          class="narrow"
        />
      </label>
      <label>
        Rank and draw by
        <select
          name="sort"
          data-testid="filter-sort"
          value={sort}
          onChange={(event) => setSort(event.currentTarget.value)}
        >
          {figureKeys.map((key) => (
            <option key={key} value={key}>
              {figureInfo[key].label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Order
        <select name="order" value={order} onChange={(event) => setOrder(event.currentTarget.value)}>
          <option value="desc">highest first</option>
          <option value="asc">lowest first</option>
        </select>
      </label>
      <button type="submit" class="primary" data-testid="filter-submit">
        Show
      </button>
    </form>
  );
}

/** From, to and as-of (UTC), shared by the ranking and the hoster page. */
export function PeriodFields(props: { filter: { from: string; to: string; asOf: string } }) {
  return (
    <>
      <label>
        From (UTC day)
        <input name="from" type="date" data-testid="filter-from" defaultValue={props.filter.from} required />
      </label>
      <label>
        To (UTC day, included)
        <input name="to" type="date" data-testid="filter-to" defaultValue={props.filter.to} />
      </label>
      <label>
        As of (UTC; empty: now)
        <input
          name="asOf"
          type="datetime-local"
          data-testid="filter-as-of"
          defaultValue={props.filter.asOf}
        />
      </label>
    </>
  );
}
