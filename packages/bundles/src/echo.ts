/** How much of a partner's value a problem repeats: enough to find it, never the whole of a hostile one. */
const ECHO_CHARS = 64;

/** `value`, cut to its first ECHO_CHARS characters with an ellipsis. */
export function echoed(value: string): string {
  return value.length <= ECHO_CHARS ? value : `${value.slice(0, ECHO_CHARS)}…`;
}

/** `echoed(value)` in double quotes, for messages. */
export function quoted(value: string): string {
  return JSON.stringify(echoed(value));
}
