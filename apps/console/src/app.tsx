// The console shell: who is signed in, which page the path shows, the header on every page but login.
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { createApiClient } from './api.ts';
import { AuditPage } from './audit-page.tsx';
import { CasePage } from './case-page.tsx';
import { type BlurLevel, blurKey, consoleContext, readBlur } from './console-context.ts';
import { HashesPage } from './hashes-page.tsx';
import { Header } from './header.tsx';
import { HosterPage } from './hoster-page.tsx';
import { HostersPage } from './hosters-page.tsx';
import { LoginPage } from './login-page.tsx';
import { navigate, usePlace } from './navigation.ts';
import { QueuePage } from './queue-page.tsx';
import { homePath, matchRoute, pagesFor } from './routes.ts';
import {
  adoptFragmentToken,
  clearToken,
  loadSession,
  type Session,
  saveToken,
  sessionOf,
} from './session.ts';

export function App() {
  const place = usePlace();
  const [session, setSession] = useState<Session | null>(() => {
    // Back from the identity provider: the API put the token in /login's fragment.
    if (location.pathname === '/login') adoptFragmentToken(location, history, sessionStorage);
    return loadSession(sessionStorage, Date.now());
  });
  const [exposureTick, setExposureTick] = useState(0);
  // A case page loads its previews in a burst: the header reads the count once the burst settles.
  const exposureTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const exposed = useCallback(() => {
    clearTimeout(exposureTimer.current);
    exposureTimer.current = setTimeout(() => setExposureTick((tick) => tick + 1), 400);
  }, []);
  const [blur, setBlur] = useState<BlurLevel>('standard');

  const logout = useCallback(() => {
    clearToken(sessionStorage);
    setSession(null);
    navigate('/login');
  }, []);

  const api = useMemo(
    () => createApiClient({ token: () => session?.token ?? null, onUnauthorized: logout }),
    [session, logout],
  );

  useEffect(() => {
    if (session !== null) setBlur(readBlur(localStorage, session.sub));
  }, [session]);
  useEffect(() => {
    document.body.dataset.blur = blur;
  }, [blur]);

  const route = matchRoute(place.pathname);
  // A new page (not a new query of the same page): its title, and focus at its start for screen readers.
  const firstPage = useRef(true);
  useEffect(() => {
    document.title = `${pageTitles[route.page]} · triage`;
    if (firstPage.current) firstPage.current = false;
    else document.getElementById('main')?.focus({ preventScroll: true });
  }, [place.pathname]);
  useEffect(() => {
    if (session === null && route.page !== 'login') navigate('/login', { replace: true });
    if (session !== null && route.page === 'login') navigate(homePath(session.role), { replace: true });
  }, [session, route.page]);

  const context = useMemo(
    () => (session === null ? null : { session, api, exposed }),
    [session, api, exposed],
  );

  if (session === null || context === null) {
    return (
      <LoginPage
        onToken={(token) => {
          const next = sessionOf(token);
          if (next === null) throw new Error('the API answered a token the console cannot read');
          saveToken(sessionStorage, token);
          setSession(next);
          navigate(homePath(next.role), { replace: true });
        }}
      />
    );
  }

  const allowed = pagesFor(session.role);
  const page = (() => {
    switch (route.page) {
      case 'queue':
        return allowed.includes('queue') ? <QueuePage search={place.search} /> : <NotForRole />;
      case 'case':
        return allowed.includes('queue') ? <CasePage reportId={route.reportId} /> : <NotForRole />;
      case 'hashes':
        return allowed.includes('hashes') ? <HashesPage search={place.search} /> : <NotForRole />;
      case 'audit':
        return allowed.includes('audit') ? <AuditPage search={place.search} /> : <NotForRole />;
      case 'hosters':
        return allowed.includes('hosters') ? <HostersPage search={place.search} /> : <NotForRole />;
      case 'hoster':
        return allowed.includes('hosters') ? (
          <HosterPage asn={route.asn} search={place.search} />
        ) : (
          <NotForRole />
        );
      default:
        return <NotFound />;
    }
  })();

  return (
    <consoleContext.Provider value={context}>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <Header
        page={route.page}
        exposureTick={exposureTick}
        blur={blur}
        onBlur={(level) => {
          localStorage.setItem(blurKey(session.sub), level);
          setBlur(level);
        }}
        onLogout={logout}
      />
      <main id="main" tabIndex={-1}>
        {page}
      </main>
    </consoleContext.Provider>
  );
}

const pageTitles: Record<ReturnType<typeof matchRoute>['page'], string> = {
  login: 'Sign in',
  queue: 'Queue',
  case: 'Case',
  hashes: 'Hash look-up',
  audit: 'Audit trail',
  hosters: 'Hosters',
  hoster: 'Hoster',
  'not-found': 'Not found',
};

function NotForRole() {
  return (
    <section class="panel">
      <h1>Not for this role</h1>
      <p>Your role cannot use this page. Sign in with another role to use it.</p>
    </section>
  );
}

function NotFound() {
  return (
    <section class="panel">
      <h1>Page not found</h1>
      <p>
        <a href="/">Back to the queue</a>
      </p>
    </section>
  );
}
