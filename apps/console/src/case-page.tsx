// The case: why this tier, the report, the items (previews, known matches, reveals), matches and
// clusters, enrichment, linked reports, the action history and the actions. `n` opens the next
// case in the queue order, `u` goes back to the queue.
import { useEffect, useState } from 'preact/hooks';
import { errorText } from './api.ts';
import type { CaseItem, CaseView } from './api-types.ts';
import { CaseActions } from './case-actions.tsx';
import { useConsole } from './console-context.ts';
import { count, utc, words, yesNo } from './format.ts';
import { type CategoryView, ItemCategory, useCategories } from './item-category.tsx';
import { caseCommand } from './keyboard.ts';
import { MediaItem } from './media-item.tsx';
import { keyPress, navigate, onLinkClick } from './navigation.ts';
import { nextCase, rememberOpened } from './queue-order.ts';
import { ReasonsChart } from './reasons-chart.tsx';
import { casePath } from './routes.ts';
import { TierBadge } from './tier-badge.tsx';

export function CasePage(props: { reportId: string }) {
  const { api } = useConsole();
  const [view, setView] = useState<CaseView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState('');
  const [reload, setReload] = useState(0);
  /** After an action: read the case again until its history has this many entries (the indexer lags by seconds). */
  const [awaitActions, setAwaitActions] = useState<number | null>(null);
  const categories = useCategories(props.reportId, reload);
  const [categoryAnswers, setCategoryAnswers] = useState(new Map<string, CategoryView>());
  useEffect(() => {
    let live = true;
    setError(null);
    api
      .json<CaseView>(`/v1/cases/${encodeURIComponent(props.reportId)}`)
      .then((answer) => {
        if (!live) return;
        setView(answer);
        setAwaitActions((wanted) => (wanted !== null && answer.actions.length >= wanted ? null : wanted));
      })
      .catch((failure: unknown) => live && setError(errorText(failure)));
    return () => {
      live = false;
    };
  }, [api, props.reportId, reload]);

  useEffect(() => {
    if (awaitActions === null) return undefined;
    const deadline = Date.now() + 30_000;
    const timer = setInterval(() => {
      if (Date.now() > deadline) setAwaitActions(null);
      else setReload((tick) => tick + 1);
    }, 1_000);
    return () => clearInterval(timer);
  }, [awaitActions]);

  useEffect(() => rememberOpened(sessionStorage, props.reportId), [props.reportId]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const command = caseCommand(keyPress(event));
      if (command === null) return;
      event.preventDefault();
      if (command === 'queue') return navigate('/');
      const next = nextCase(sessionStorage, props.reportId);
      if (next === null) setNotice('No next case on the queue page last shown: back to the queue (u).');
      else navigate(casePath(next));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [props.reportId]);

  if (error !== null) {
    return (
      <section class="panel">
        <h1>{props.reportId}</h1>
        <p role="alert" class="error">
          {error}
        </p>
      </section>
    );
  }
  if (view === null) return <p class="panel">Loading case…</p>;

  const found = view.case;
  const report = found.report ?? {};
  const enrichment = found.enrichment ?? {};
  const tier = found.queueTier ?? found.tier ?? '—';
  const summaries = new Map((found.items ?? []).map((item) => [item.itemId, item]));
  return (
    <article class="case" aria-labelledby="case-title">
      <header class="case-head">
        <h1 id="case-title">{found.reportId}</h1>
        <TierBadge tier={tier} testId="case-tier" />
        <span>score {found.score?.toFixed(2) ?? '—'}</span>
        {view.tierOverride != null && (
          <span class="muted">
            override by {view.tierOverride.actor} ({view.tierOverride.role}) {utc(view.tierOverride.at)}
            {view.tierOverride.reason !== null && `: ${view.tierOverride.reason}`}; scored {found.tier}
          </span>
        )}
        {found.provisional === true && <span class="muted">provisional: items still arriving</span>}
        <span class="muted">keys: n next case, u queue</span>
      </header>
      <p class="notice" aria-live="polite">
        {notice}
      </p>
      <div class="case-grid">
        <section class="panel" aria-labelledby="why-title">
          <h2 id="why-title">Why this tier</h2>
          <ReasonsChart reasons={found.reasons ?? []} score={found.score} />
          <p class="muted small">Rules {found.ruleVersion ?? '—'}</p>
        </section>
        <section class="panel" aria-labelledby="report-title">
          <h2 id="report-title">Report</h2>
          <dl class="facts">
            <dt>Partner</dt>
            <dd>
              {report.partnerId ?? '—'} · {report.partnerReportId ?? '—'}
            </dd>
            <dt>Reporter</dt>
            <dd>{report.reporterName ?? '—'}</dd>
            <dt>Incident</dt>
            <dd>{report.incidentTypeText ?? words(report.incidentType)}</dd>
            <dt>Incident time</dt>
            <dd>{utc(report.incidentDateTime)}</dd>
            <dt>Received</dt>
            <dd>{utc(report.receivedAt)}</dd>
            <dt>Escalation</dt>
            <dd>{report.escalateToHighPriority ?? '—'}</dd>
            <dt>Annotations</dt>
            <dd>{(report.reportAnnotations ?? []).map(words).join(', ') || '—'}</dd>
            <dt>Persons · victims · recipients</dt>
            <dd>
              {report.personsReportedCount ?? 0} · {report.victimCount ?? 0} ·{' '}
              {report.intendedRecipientCount ?? 0}
            </dd>
            <dt>Estimated countries</dt>
            <dd>{(report.estimatedCountryCodes ?? []).join(', ') || '—'}</dd>
            <dt>Items</dt>
            <dd>
              {found.itemsSeen ?? 0} of {found.itemsExpected ?? 0} seen
            </dd>
            <dt>Status · assignee</dt>
            <dd>
              {words(found.triage?.status ?? 'new')} · {found.triage?.assignee ?? 'unassigned'}
            </dd>
            <dt>Disposition</dt>
            <dd>{words(found.triage?.disposition)}</dd>
            <dt>Legal authority</dt>
            <dd>{found.triage?.legalAuthority ?? 'none recorded'}</dd>
          </dl>
        </section>
        <section class="panel" aria-labelledby="network-title">
          <h2 id="network-title">Enrichment and hoster</h2>
          <dl class="facts">
            <dt>Countries</dt>
            <dd>{(enrichment.countryCodes ?? []).join(', ') || '—'}</dd>
            <dt>In jurisdiction</dt>
            <dd>{yesNo(enrichment.inJurisdiction)}</dd>
            <dt>Possible proxy</dt>
            <dd>{yesNo(enrichment.possibleProxy)}</dd>
            <dt>AS organisations</dt>
            <dd>{(enrichment.asOrganizations ?? []).join(', ') || '—'}</dd>
            <dt>Hosts</dt>
            <dd>{(enrichment.hosts ?? []).join(', ') || '—'}</dd>
          </dl>
          <h3>Linked reports</h3>
          {(found.linkedReports ?? []).length === 0 ? (
            <p class="muted">None.</p>
          ) : (
            <ul class="links">
              {(found.linkedReports ?? []).map((link) => (
                <li key={`${link.reportId}-${link.identifierType}`}>
                  <a href={casePath(link.reportId)} onClick={onLinkClick}>
                    {link.reportId}
                  </a>{' '}
                  <span class="muted">shares {link.identifierType}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>

      <section class="panel" aria-labelledby="items-title">
        <h2 id="items-title">Items ({view.items.length})</h2>
        <ul class="items">
          {view.items.map((item) => (
            // The case's item summary has the novelty; the item document has the matches and facts.
            <ItemCard
              key={item.itemId}
              reportId={found.reportId}
              item={{ ...summaries.get(item.itemId), ...item }}
              category={
                item.sha256 == null
                  ? null
                  : {
                      state: categoryAnswers.get(item.itemId) ?? categories.get(item.itemId),
                      onChange: (state) =>
                        setCategoryAnswers((answers) => new Map(answers).set(item.itemId, state)),
                    }
              }
            />
          ))}
        </ul>
      </section>

      <div class="case-grid two">
        <CaseActions
          view={view}
          onDone={(message) => {
            setNotice(message);
            setAwaitActions(view.actions.length + 1);
          }}
        />
        <section class="panel" aria-labelledby="history-title">
          <h2 id="history-title">Action history</h2>
          {view.actions.length === 0 && <p class="muted">No action yet.</p>}
          <ol class="history" data-testid="action-history">
            {view.actions.map((action) => (
              <li key={action.actionId} data-testid="action-entry">
                <span class="muted">{utc(action.at)}</span> <strong>{words(action.type)}</strong> by{' '}
                {action.actor} {action.role !== undefined && <span class="muted">({action.role})</span>}
                {Object.entries(action.payload ?? {}).length > 0 && (
                  <span>
                    :{' '}
                    {Object.entries(action.payload ?? {})
                      .map(([key, value]) => `${key} ${value}`)
                      .join(', ')}
                  </span>
                )}
              </li>
            ))}
          </ol>
        </section>
      </div>
    </article>
  );
}

/** An item's category state and what to do with the API's answer; null for an item without a file. */
interface ItemCategoryProps {
  state: CategoryView | undefined;
  onChange: (state: CategoryView) => void;
}

function ItemCard(props: { reportId: string; item: CaseItem; category: ItemCategoryProps | null }) {
  const { item } = props;
  const file = item.file ?? null;
  const clusterId = file?.clusterId ?? item.dedupe?.nearDuplicateClusterId ?? null;
  return (
    <li class="item" data-testid="case-item" data-sha256={item.sha256 ?? ''}>
      <MediaItem reportId={props.reportId} item={item} />
      <dl class="facts small">
        <dt>Item</dt>
        <dd>
          {item.itemId.split('/').at(-1)} · {item.mediaType ?? item.kind ?? '—'}
        </dd>
        <dt>Novelty</dt>
        <dd>{words(item.novelty)}</dd>
        <dt>Viewed by company</dt>
        <dd>{yesNo(item.fileViewedByEsp)}</dd>
        {item.sha256 != null && (
          <>
            <dt>sha256</dt>
            <dd class="hash">
              <a href={`/hashes?value=${encodeURIComponent(`sha256:${item.sha256}`)}`} onClick={onLinkClick}>
                {item.sha256.slice(0, 16)}…
              </a>
            </dd>
          </>
        )}
        <dt>Sightings</dt>
        <dd>
          {count(file?.sightings ?? item.dedupe?.reportCount ?? 0, 'report')} · first{' '}
          {file?.firstSeenReportId != null && file.firstSeenReportId !== props.reportId ? (
            <a href={casePath(file.firstSeenReportId)} onClick={onLinkClick}>
              {file.firstSeenReportId}
            </a>
          ) : (
            'here'
          )}
        </dd>
        <dt>Cluster</dt>
        <dd>
          {clusterId === null ? (
            '—'
          ) : item.sha256 != null ? (
            <a href={`/hashes?value=${encodeURIComponent(`sha256:${item.sha256}`)}`} onClick={onLinkClick}>
              {clusterId.slice(0, 12)} (other reports)
            </a>
          ) : (
            clusterId
          )}
          {file?.nearestDistance != null && (
            <span class="muted"> · nearest at distance {file.nearestDistance}</span>
          )}
        </dd>
        {(item.enrichment ?? []).length > 0 && (
          <>
            <dt>Network</dt>
            <dd>
              {(item.enrichment ?? [])
                .map((fact) =>
                  [fact.host ?? fact.ip, fact.countryCode, fact.asOrganization].filter(Boolean).join(' · '),
                )
                .join('; ')}
            </dd>
          </>
        )}
      </dl>
      {props.category !== null && (
        <ItemCategory
          reportId={props.reportId}
          itemId={item.itemId}
          state={props.category.state}
          onChange={props.category.onChange}
        />
      )}
    </li>
  );
}
