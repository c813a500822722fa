/** RFC 6901 JSON pointer of a path: `~` and `/` in a segment are escaped; the root is ''. */
export function jsonPointer(path: readonly (string | number)[]): string {
  return path.map((segment) => `/${String(segment).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}
