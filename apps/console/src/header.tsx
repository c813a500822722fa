// The header: navigation by role, the session's exposure count, the blur setting, who is signed in.
import { type BlurLevel, useConsole } from './console-context.ts';
import { onLinkClick } from './navigation.ts';
import { pagesFor, type Route } from './routes.ts';
import { useApiRead } from './use-api.ts';

interface Exposure {
  sub: string;
  /** Session start, epoch ms. */
  since: number;
  previews: number;
  reveals: number;
}

const links = {
  queue: { href: '/', label: 'Queue', testId: 'nav-queue' },
  hashes: { href: '/hashes', label: 'Hash look-up', testId: 'nav-hashes' },
  audit: { href: '/audit', label: 'Audit', testId: 'nav-audit' },
  hosters: { href: '/hosters', label: 'Hosters', testId: 'nav-hosters' },
} as const;

export function Header(props: {
  page: Route['page'];
  exposureTick: number;
  blur: BlurLevel;
  onBlur: (level: BlurLevel) => void;
  onLogout: () => void;
}) {
  const { session } = useConsole();
  const { data: exposure, error: exposureError } = useApiRead<Exposure>(
    '/v1/exposure/me',
    props.exposureTick,
  );

  const current = props.page === 'case' ? 'queue' : props.page === 'hoster' ? 'hosters' : props.page;
  return (
    <header class="site-header">
      <span class="brand">triage</span>
      <nav aria-label="Main">
        <ul>
          {pagesFor(session.role).map((page) => (
            <li key={page}>
              <a
                href={links[page].href}
                data-testid={links[page].testId}
                aria-current={current === page ? 'page' : undefined}
                onClick={onLinkClick}
              >
                {links[page].label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div class="header-tools">
        <span
          class="exposure"
          data-testid="exposure-count"
          title={
            exposureError ??
            'Media you viewed since you signed in: blurred previews and reveals (counted from the audit trail)'
          }
        >
          {exposure === null ? (
            'Exposure: —'
          ) : (
            <>
              Exposure this session: <strong>{exposure.previews + exposure.reveals}</strong> (
              {exposure.previews} previews, {exposure.reveals} reveals)
            </>
          )}
        </span>
        {pagesFor(session.role).includes('queue') && (
          <label class="inline">
            Blur
            <select
              value={props.blur}
              onChange={(event) =>
                props.onBlur(event.currentTarget.value === 'strong' ? 'strong' : 'standard')
              }
            >
              <option value="standard">standard</option>
              <option value="strong">stronger</option>
            </select>
          </label>
        )}
        <span class="who">
          {session.sub} <span class="role">({session.role})</span>
        </span>
        <button type="button" data-testid="logout" onClick={props.onLogout}>
          Sign out
        </button>
      </div>
    </header>
  );
}
