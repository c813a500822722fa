// One hoster (GET /v1/hosters/{asn}) for supervisors and auditors: its headline figures, the
// survival curve and histogram of the time to removal with the 12 h and 24 h lines, the trend per
// month, and the overdue list, which is the re-notice queue: the page copies or saves the selected
// cases as a list for the hotline's own notice system (the API sends no notice), and exports the
// evidence for a regulator (GET .../evidence, audited as an export). No media on this page.
import { useEffect, useState } from 'preact/hooks';
import { errorText } from './api.ts';
import { useConsole } from './console-context.ts';
import { utc } from './format.ts';
import type { HosterFigures, HosterPage as HosterPageAnswer, OverdueItem } from './hoster-types.ts';
import {
  durationText,
  type FigureKey,
  figureText,
  hosterName,
  periodFilter,
  periodQuery,
  periodSearch,
  removalTimeText,
  renoticeList,
  shareText,
  shortHash,
} from './hoster-view.ts';
import { PeriodFields } from './hosters-page.tsx';
import { navigate, onLinkClick } from './navigation.ts';
import { saveFile } from './save-file.ts';
import { useApiRead } from './use-api.ts';

/** The headline figures in the order a regulator reads them. */
const headline: readonly { key: FigureKey | 'moved'; label: string }[] = [
  { key: 'notices', label: 'Notices' },
  { key: 'renotices', label: 'Re-notices' },
  { key: 'removed', label: 'Removed' },
  { key: 'moved', label: 'Moved' },
  { key: 'stillOnline', label: 'Still online (of these notices)' },
  { key: 'medianTimeToRemovalMs', label: 'Median time to removal' },
  { key: 'p90TimeToRemovalMs', label: 'P90 time to removal' },
  { key: 'removedWithin12hShare', label: 'Removed within 12 h (law)' },
  { key: 'removedWithin24hShare', label: 'Removed within 24 h (norm)' },
  { key: 'onlineNow', label: 'Online now (any period)' },
  { key: 'countryOnlineShare', label: 'Share of the country online now' },
  { key: 'recidivism', label: 'Recidivism (same hash back)' },
  { key: 'overdueNow', label: 'Overdue now (over 24 h)' },
];

function headlineText(key: FigureKey | 'moved', hoster: HosterFigures): string {
  if (key === 'moved') return String(hoster.moved);
  if (key === 'medianTimeToRemovalMs' || key === 'p90TimeToRemovalMs')
    return removalTimeText(hoster[key], hoster.notices);
  return figureText(key, hoster[key]);
}

type Charts = Pick<typeof import('./hoster-charts.tsx'), 'SurvivalChart' | 'RemovalHistogram' | 'TrendChart'>;

/** The charts module (Observable Plot, a separate chunk of the bundle), loaded on the first hoster page. */
function useCharts(): { charts: Charts | null; error: string | null } {
  const [loaded, setLoaded] = useState<{ charts: Charts | null; error: string | null }>({
    charts: null,
    error: null,
  });
  useEffect(() => {
    let live = true;
    import('./hoster-charts.tsx')
      .then(
        ({ SurvivalChart, RemovalHistogram, TrendChart }) =>
          live && setLoaded({ charts: { SurvivalChart, RemovalHistogram, TrendChart }, error: null }),
      )
      .catch((failure: unknown) => live && setLoaded({ charts: null, error: errorText(failure) }));
    return () => {
      live = false;
    };
  }, []);
  return loaded;
}

export function HosterPage(props: { asn: number; search: string }) {
  const { api } = useConsole();
  const [now] = useState(Date.now);
  const period = periodFilter(new URLSearchParams(props.search), now);
  const query = periodQuery(period).toString();
  const { data, error } = useApiRead<HosterPageAnswer>(`/v1/hosters/${props.asn}?${query}`);
  const [status, setStatus] = useState<string | null>(null);
  const { charts, error: chartsError } = useCharts();

  /** Fetches a file with the token and saves it; the sentence to show for it. */
  async function download(path: string, accept: string, name: string, done: string): Promise<string> {
    try {
      saveFile(await api.file(path, accept), name);
      return done;
    } catch (failure) {
      return `The download failed: ${errorText(failure)}`;
    }
  }

  const name = data === null ? `AS${props.asn}` : hosterName(data.hoster);
  return (
    <section class="panel hoster" aria-labelledby="hoster-title">
      <p class="small">
        <a href={`/hosters?${periodSearch(period)}`} onClick={onLinkClick} data-testid="back-to-ranking">
          ← All hosters
        </a>
      </p>
      <h1 id="hoster-title" data-testid="hoster-title">
        {name}
      </h1>
      <p class="network-note" data-testid="network-note">
        <strong>Per network, not per brand.</strong> An AS (autonomous system) is a network, named here by the
        IP each notice recorded. It is often a datacentre that resells capacity to other companies, so these
        figures are the network’s, and the company named may not be the one that hosts the content.
      </p>
      <form
        class="audit-filters"
        key={query}
        onSubmit={(event) => {
          event.preventDefault();
          const form = new FormData(event.currentTarget as HTMLFormElement);
          const next = new URLSearchParams();
          for (const key of ['from', 'to', 'asOf']) {
            const value = String(form.get(key) ?? '');
            if (value !== '') next.set(key, value);
          }
          navigate(`/hosters/${props.asn}?${next.toString()}`);
        }}
      >
        <PeriodFields filter={period} />
        <button type="submit" class="primary">
          Show
        </button>
      </form>
      {error !== null && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {data === null ? (
        error === null && <p>Loading…</p>
      ) : (
        <>
          <div class="row">
            <p class="grow muted">
              Notices first sent from {utc(Date.parse(data.period.from))} up to{' '}
              {utc(Date.parse(data.period.to))} (not included), as of {utc(Date.parse(data.period.asOf))}.
              Countries: {data.hoster.countries.join(', ') || '—'}.
            </p>
            <button
              type="button"
              data-testid="hoster-csv"
              onClick={async () => {
                setStatus('Preparing the CSV…');
                setStatus(
                  await download(
                    `/v1/hosters/${props.asn}?${query}&format=csv`,
                    'text/csv',
                    `hoster-AS${props.asn}.csv`,
                    'CSV saved: the hoster, its countries and its months.',
                  ),
                );
              }}
            >
              Download CSV
            </button>
          </div>
          {status !== null && (
            <p class="small muted" role="status" data-testid="hoster-status">
              {status}
            </p>
          )}
          <Headline hoster={data.hoster} />
          {data.countries.length > 1 && <CountryTable countries={data.countries} />}
          {chartsError !== null && (
            <p role="alert" class="error">
              The charts did not load: {chartsError}
            </p>
          )}
          <h2>Time to removal</h2>
          {charts !== null && (
            <div class="charts">
              <charts.SurvivalChart distribution={data.distribution} />
              <charts.RemovalHistogram distribution={data.distribution} />
            </div>
          )}
          <h2>Trend per month</h2>
          {charts !== null && <charts.TrendChart trend={data.trend} />}
          <OverdueList
            asn={props.asn}
            items={data.overdue}
            asOf={data.period.asOf}
            onExport={() =>
              download(
                `/v1/hosters/${props.asn}/evidence?asOf=${encodeURIComponent(data.period.asOf)}`,
                'application/json',
                `evidence-AS${props.asn}-${data.period.asOf.slice(0, 16).replace(':', '')}.json`,
                `Evidence saved: ${data.overdue.length} overdue cases (recorded in the audit trail as an export).`,
              )
            }
          />
        </>
      )}
    </section>
  );
}

function Headline(props: { hoster: HosterFigures }) {
  const { hoster } = props;
  return (
    <dl class="figures" data-testid="headline">
      {headline.map(({ key, label }) => (
        <div key={key} class="figure" data-testid={`figure-${key}`} data-value={JSON.stringify(hoster[key])}>
          <dt>{label}</dt>
          <dd>
            {headlineText(key, hoster)}
            {key === 'countryOnlineShare' && hoster.country !== null && (
              <span class="muted small"> of {hoster.country}</span>
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}

function CountryTable(props: { countries: readonly HosterFigures[] }) {
  return (
    <table class="data">
      <caption>Within each country</caption>
      <thead>
        <tr>
          <th scope="col">Country</th>
          <th scope="col">Notices</th>
          <th scope="col">Within 24 h</th>
          <th scope="col">Median</th>
          <th scope="col">Online now</th>
          <th scope="col">Share of the country</th>
          <th scope="col">Overdue</th>
        </tr>
      </thead>
      <tbody>
        {props.countries.map((row) => (
          <tr key={row.country}>
            <td>{row.country ?? '—'}</td>
            <td>{row.notices}</td>
            <td>{shareText(row.removedWithin24hShare)}</td>
            <td>{removalTimeText(row.medianTimeToRemovalMs, row.notices)}</td>
            <td>{row.onlineNow}</td>
            <td>{shareText(row.countryOnlineShare)}</td>
            <td>{row.overdueNow}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const itemKey = (item: OverdueItem) => `${item.partnerId}/${item.noticeId}`;

/**
 * The re-notice queue. The console cannot send a notice: a hotline sends re-notices from its own
 * system and reports each back through intake as a `renotice_sent` event. So the action copies (or
 * saves) the selected cases as the list the hotline works from, and the page says so.
 */
function OverdueList(props: {
  asn: number;
  items: readonly OverdueItem[];
  asOf: string;
  /** Saves the evidence export; resolves to the sentence to show. */
  onExport: () => Promise<string>;
}) {
  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set());
  const [status, setStatus] = useState<string | null>(null);
  const chosen = props.items.filter((item) => selected.has(itemKey(item)));
  const allChosen = props.items.length > 0 && chosen.length === props.items.length;

  async function copy(text: string, done: string) {
    try {
      await navigator.clipboard.writeText(text);
      setStatus(done);
    } catch {
      setStatus('The browser refused the clipboard: use "Save re-notice list" instead.');
    }
  }

  const toggle = (key: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(key);
    else next.delete(key);
    setSelected(next);
  };

  return (
    <section class="overdue" aria-labelledby="overdue-title" data-testid="overdue">
      <h2 id="overdue-title">Overdue now: the re-notice queue ({props.items.length})</h2>
      <p class="small">
        Cases still online more than 24 hours after their first notice, oldest first, as of{' '}
        {utc(Date.parse(props.asOf))}. <strong>This page sends nothing to the hoster.</strong> “Copy re-notice
        list” puts the selected cases (notice id, partner, URL, sha256, first notice, re-notices, hours
        online; tab-separated, for a spreadsheet or the hotline’s notice system) on the clipboard; the hotline
        sends the re-notices and records each through intake as a <code>renotice_sent</code> event, after
        which it counts here. “Export evidence” saves every overdue case with its notice ids, times and hashes
        for a regulator (no media, no report text); the API records the export in the audit trail.
      </p>
      <div class="row">
        <button
          type="button"
          data-testid="renotice-copy"
          disabled={chosen.length === 0}
          onClick={() =>
            void copy(
              renoticeList(chosen),
              `Copied the re-notice list: ${chosen.length} ${chosen.length === 1 ? 'case' : 'cases'}.`,
            )
          }
        >
          Copy re-notice list ({chosen.length} selected)
        </button>
        <button
          type="button"
          data-testid="renotice-save"
          disabled={chosen.length === 0}
          onClick={() => {
            saveFile(
              new Blob([renoticeList(chosen)], { type: 'text/tab-separated-values' }),
              `renotices-AS${props.asn}.tsv`,
            );
            setStatus(
              `Saved the re-notice list: ${chosen.length} ${chosen.length === 1 ? 'case' : 'cases'}.`,
            );
          }}
        >
          Save re-notice list
        </button>
        <button
          type="button"
          data-testid="evidence-export"
          disabled={props.items.length === 0}
          onClick={async () => {
            setStatus('Preparing the evidence…');
            setStatus(await props.onExport());
          }}
        >
          Export evidence (audited)
        </button>
      </div>
      {status !== null && (
        <p class="small muted" role="status" data-testid="overdue-status">
          {status}
        </p>
      )}
      {props.items.length === 0 ? (
        <p class="muted">Nothing is overdue at this hoster.</p>
      ) : (
        <table class="data overdue-table">
          <caption class="visually-hidden">Overdue cases</caption>
          <thead>
            <tr>
              <th scope="col">
                <label class="check">
                  <input
                    type="checkbox"
                    data-testid="overdue-select-all"
                    checked={allChosen}
                    onChange={(event) =>
                      setSelected(event.currentTarget.checked ? new Set(props.items.map(itemKey)) : new Set())
                    }
                  />
                  <span class="visually-hidden">Select every overdue case</span>
                </label>
              </th>
              <th scope="col">Notice id</th>
              <th scope="col">URL (as noticed, not a link)</th>
              <th scope="col">sha256</th>
              <th scope="col">First notice</th>
              <th scope="col">Re-notices</th>
              <th scope="col">Online for</th>
            </tr>
          </thead>
          <tbody>
            {props.items.map((item) => (
              <tr key={itemKey(item)} data-testid="overdue-row" data-notice-id={item.noticeId}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Select notice ${item.noticeId}`}
                    checked={selected.has(itemKey(item))}
                    onChange={(event) => toggle(itemKey(item), event.currentTarget.checked)}
                  />
                </td>
                <td class="mono">
                  {item.noticeId}
                  <span class="muted small"> ({item.partnerId})</span>
                </td>
                <td class="mono small url-cell">{item.url ?? '—'}</td>
                <td class="mono small nowrap">
                  {item.sha256 === null ? (
                    (item.itemId ?? '—')
                  ) : (
                    <>
                      <span title={item.sha256}>{shortHash(item.sha256)}</span>{' '}
                      <button
                        type="button"
                        class="link"
                        data-testid="copy-sha256"
                        aria-label={`Copy the sha256 of notice ${item.noticeId}`}
                        onClick={() => void copy(item.sha256 ?? '', `Copied the sha256 of ${item.noticeId}.`)}
                      >
                        copy
                      </button>
                    </>
                  )}
                </td>
                <td class="nowrap">{utc(Date.parse(item.noticeAt))}</td>
                <td>
                  {item.renotices.length}
                  {item.renotices.length > 0 && (
                    <span class="muted small">
                      {' '}
                      (last {utc(Date.parse(item.renotices.at(-1)?.at ?? ''))})
                    </span>
                  )}
                </td>
                <td class="nowrap" data-testid="online-for" data-value={item.onlineForMs}>
                  {durationText(item.onlineForMs)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
