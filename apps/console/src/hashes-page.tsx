// Hash look-up: paste an MD5, SHA-1, SHA-256 or PDQ (prefix `sha256:` or `pdq:` for 64 digits, or
// choose the type); the answer lists the files, the reports carrying them (links to their cases)
// and their near-duplicate clusters. The value is in the URL (`/hashes?value=...`) so it can be shared.
import type { CaseSummary } from './api-types.ts';
import { count, utc } from './format.ts';
import { navigate, onLinkClick } from './navigation.ts';
import { casePath } from './routes.ts';
import { TierBadge } from './tier-badge.tsx';
import { useApiRead } from './use-api.ts';

interface HashFile {
  sha256: string;
  md5?: string | null;
  clusterId?: string | null;
  firstSeenAt?: number | null;
  firstSeenReportId?: string | null;
  sightings?: number;
  distance?: number | null;
}

interface HashAnswer {
  query: { type: string; value: string; distance: number };
  media: HashFile[];
  reports: { reportId: string; itemIds: string[]; case: CaseSummary | null }[];
  clusters: { clusterId: string; members: HashFile[] }[];
  truncated: boolean;
  truncatedBy: string[];
}

const hashTypes = ['', 'md5', 'sha1', 'sha256', 'pdq'];

export function HashesPage(props: { search: string }) {
  const params = new URLSearchParams(props.search);
  const value = params.get('value') ?? '';
  const type = params.get('type') ?? '';
  const distance = params.get('distance') ?? '';
  const query = new URLSearchParams();
  if (type !== '') query.set('type', type);
  if (distance !== '') query.set('distance', distance);
  const suffix = query.toString() === '' ? '' : `?${query.toString()}`;
  const { data: answer, error } = useApiRead<HashAnswer>(
    value === '' ? null : `/v1/hashes/${encodeURIComponent(value)}${suffix}`,
  );

  return (
    <section class="panel hashes" aria-labelledby="hashes-title">
      <h1 id="hashes-title">Hash look-up</h1>
      <form
        class="hash-form"
        onSubmit={(event) => {
          event.preventDefault();
          const form = new FormData(event.currentTarget as HTMLFormElement);
          const next = new URLSearchParams();
          for (const key of ['value', 'type', 'distance']) {
            const field = String(form.get(key) ?? '').trim();
            if (field !== '') next.set(key, field);
          }
          navigate(`/hashes?${next.toString()}`);
        }}
      >
        <label for="hash-input">
          Hash (MD5, SHA-1, SHA-256 or PDQ in hex; prefix sha256: or pdq: for 64 digits)
        </label>
        <input
          id="hash-input"
          name="value"
          data-testid="hash-input"
          defaultValue={value}
          key={value}
          spellcheck={false}
          autoComplete="off"
          class="mono wide"
        />
        <div class="row">
          <label class="inline">
            Type
            <select name="type" defaultValue={type} key={type}>
              {hashTypes.map((option) => (
                <option key={option} value={option}>
                  {option === '' ? 'from the value' : option}
                </option>
              ))}
            </select>
          </label>
          <label class="inline">
            PDQ distance
            <input
              name="distance"
              type="number"
              min={0}
              max={31}
              defaultValue={distance}
              key={distance}
              class="narrow"
            />
          </label>
          <button type="submit" class="primary" data-testid="hash-submit">
            Look up
          </button>
        </div>
      </form>
      {error !== null && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {answer !== null && (
        <div class="hash-answer">
          <p>
            {answer.query.type} {answer.query.value.slice(0, 24)}…: {count(answer.media.length, 'file')},{' '}
            {count(answer.reports.length, 'report')}
            {answer.truncated && (
              <span class="muted"> (more than shown: {answer.truncatedBy.join(', ')})</span>
            )}
          </p>
          <h2>Reports</h2>
          <table class="data">
            <thead>
              <tr>
                <th scope="col">Report</th>
                <th scope="col">Tier</th>
                <th scope="col">Items</th>
                <th scope="col">Received</th>
              </tr>
            </thead>
            <tbody>
              {answer.reports.map((report) => (
                <tr key={report.reportId} data-testid="hash-result">
                  <td>
                    <a href={casePath(report.reportId)} onClick={onLinkClick}>
                      {report.reportId}
                    </a>
                  </td>
                  <td>
                    {report.case === null ? (
                      <span class="muted">not scored yet</span>
                    ) : (
                      <TierBadge tier={report.case.queueTier ?? report.case.tier ?? '—'} />
                    )}
                  </td>
                  <td>{report.itemIds.length}</td>
                  <td>{utc(report.case?.report?.receivedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {answer.reports.length === 0 && <p class="muted">No report carries this hash.</p>}
          {answer.media.length > 0 && <h2>Files</h2>}
          <ul class="mono small">
            {answer.media.map((file) => (
              <li key={file.sha256}>
                {file.sha256} · {count(file.sightings ?? 0, 'report')} · first {utc(file.firstSeenAt)}
                {file.distance != null && ` · distance ${file.distance}`}
                {file.clusterId != null && ` · cluster ${file.clusterId.slice(0, 12)}`}
              </li>
            ))}
          </ul>
          {answer.clusters.some((cluster) => cluster.members.length > 0) && (
            <>
              <h2>Near-duplicate clusters</h2>
              {answer.clusters
                .filter((cluster) => cluster.members.length > 0)
                .map((cluster) => (
                  <details key={cluster.clusterId}>
                    <summary>
                      Cluster {cluster.clusterId.slice(0, 12)}: {cluster.members.length} files
                    </summary>
                    <ul class="mono small">
                      {cluster.members.map((member) => (
                        <li key={member.sha256}>
                          <a
                            href={`/hashes?value=${encodeURIComponent(`sha256:${member.sha256}`)}`}
                            onClick={onLinkClick}
                          >
                            {member.sha256}
                          </a>{' '}
                          · {member.sightings ?? 0} reports
                        </li>
                      ))}
                    </ul>
                  </details>
                ))}
            </>
          )}
        </div>
      )}
    </section>
  );
}
