// The console's client routes (THE SHARED CONTRACT of issue 17): path -> page, page -> path. The
// same list is what triage-api answers with the HTML shell (services/triage-api console routes).

export type Role = 'analyst' | 'supervisor' | 'auditor' | 'operator';

export type Route =
  | { page: 'login' }
  | { page: 'queue' }
  | { page: 'case'; reportId: string }
  | { page: 'hashes' }
  | { page: 'audit' }
  | { page: 'hosters' }
  | { page: 'hoster'; asn: number }
  | { page: 'not-found' };

/** The page a path shows; a malformed `/cases/` id is not found rather than an exception. */
export function matchRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { page: 'queue' };
  if (pathname === '/login') return { page: 'login' };
  if (pathname === '/hashes') return { page: 'hashes' };
  if (pathname === '/audit') return { page: 'audit' };
  if (pathname === '/hosters') return { page: 'hosters' };
  // An ASN is a 32-bit number: anything else is not a hoster page.
  const hosterMatch = /^\/hosters\/(\d{1,10})$/.exec(pathname);
  if (hosterMatch !== null) {
    const asn = Number(hosterMatch[1]);
    return asn <= 4_294_967_295 ? { page: 'hoster', asn } : { page: 'not-found' };
  }
  const caseMatch = /^\/cases\/([^/]+)$/.exec(pathname);
  if (caseMatch !== null) {
    try {
      return { page: 'case', reportId: decodeURIComponent(caseMatch[1]!) };
    } catch {
      return { page: 'not-found' };
    }
  }
  return { page: 'not-found' };
}

export const casePath = (reportId: string) => `/cases/${encodeURIComponent(reportId)}`;

export type Page = 'queue' | 'hashes' | 'audit' | 'hosters';

/** The pages a role may use (the API's roles decide; the console only hides what would be refused). */
export function pagesFor(role: Role): readonly Page[] {
  switch (role) {
    case 'analyst':
      return ['queue', 'hashes'];
    case 'supervisor':
      return ['queue', 'hashes', 'hosters'];
    case 'auditor':
      return ['audit', 'hosters'];
    case 'operator':
      return [];
  }
}

/** Where a role lands after login. */
export const homePath = (role: Role) => (role === 'auditor' ? '/audit' : '/');
