/**
 * Which requests a guarded page may make: only to the origin it tests (the console and its API are
 * one origin, served by triage-api), plus the page's own in-memory URLs. Anything else is a
 * third-party request, refused and reported.
 */
export function isFirstParty(url: string, origin: string): boolean {
  if (url.startsWith('data:') || url.startsWith('blob:') || url === 'about:blank') return true;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.origin === new URL(origin).origin;
}
