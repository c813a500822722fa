// The signed-in user: the bearer token lives in sessionStorage (never localStorage: it ends with
// the tab), and its payload says who (sub), which role, and since when (iat: the exposure count
// starts there). The console never checks the signature; the API does, on every request.
import type { Role } from './routes.ts';

export interface Session {
  token: string;
  sub: string;
  role: Role;
  /** Issued at, epoch seconds. */
  iat: number;
  /** Expires at, epoch seconds. */
  exp: number;
}

const roles: readonly Role[] = ['analyst', 'supervisor', 'auditor', 'operator'];
const tokenKey = 'triage.console.token';

function base64UrlDecode(text: string): string {
  const base64 = text.replaceAll('-', '+').replaceAll('_', '/');
  const binary = atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '='));
  return new TextDecoder().decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
}

/** The session a token stands for, or null when it is not a JWT with sub, a known role, iat and exp. */
export function sessionOf(token: string, roleClaim = 'role'): Session | null {
  const payload = token.split('.')[1];
  if (payload === undefined) return null;
  try {
    const claims = JSON.parse(base64UrlDecode(payload)) as Record<string, unknown>;
    const role = claims[roleClaim];
    const { sub, iat, exp } = claims;
    if (typeof sub !== 'string' || typeof iat !== 'number' || typeof exp !== 'number') return null;
    if (typeof role !== 'string' || !roles.includes(role as Role)) return null;
    return { token, sub, role: role as Role, iat, exp };
  } catch {
    return null;
  }
}

/** True once the token's expiry has passed (`now` in epoch ms). */
const expired = (session: Session, now: number) => session.exp * 1000 <= now;

export function loadSession(storage: Storage, now: number): Session | null {
  const token = storage.getItem(tokenKey);
  const session = token === null ? null : sessionOf(token);
  if (session === null || expired(session, now)) {
    storage.removeItem(tokenKey);
    return null;
  }
  return session;
}

export const saveToken = (storage: Storage, token: string) => storage.setItem(tokenKey, token);
export const clearToken = (storage: Storage) => storage.removeItem(tokenKey);

/**
 * The token the API's identity-provider sign-in hands over in `/login#token=...`, or null. A
 * fragment, not a query: the browser never sends it to a server (no access log, no proxy, no
 * Referer), and the console clears it from the address bar as soon as it is read.
 */
export function tokenFromFragment(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token');
  return token === null || token === '' ? null : token;
}

/** Moves a token from the URL fragment into sessionStorage (once) and clears the fragment; true if it did. */
export function adoptFragmentToken(place: Location, history: History, storage: Storage): boolean {
  const token = tokenFromFragment(place.hash);
  if (place.hash !== '') history.replaceState(null, '', place.pathname + place.search);
  if (token === null || sessionOf(token) === null) return false;
  saveToken(storage, token);
  return true;
}
