// The keyboard map (THE SHARED CONTRACT of issue 17): j/k or the arrow keys move, Enter opens,
// c claims the selected case, n opens the next case from a case page, / goes to the search box.
// Keys typed into a field, or with a modifier, are the field's or the browser's.

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** The key went to an input, select, textarea or editable element. */
  inField: boolean;
}

export type QueueCommand = 'down' | 'up' | 'open' | 'claim' | 'search';
export type CaseCommand = 'next-case' | 'queue';

const ignored = (press: KeyPress) => press.inField || press.ctrlKey || press.metaKey || press.altKey;

export function queueCommand(press: KeyPress): QueueCommand | null {
  if (ignored(press)) return null;
  switch (press.key) {
    case 'j':
    case 'ArrowDown':
      return 'down';
    case 'k':
    case 'ArrowUp':
      return 'up';
    case 'Enter':
      return 'open';
    case 'c':
      return 'claim';
    case '/':
      return 'search';
    default:
      return null;
  }
}

export function caseCommand(press: KeyPress): CaseCommand | null {
  if (ignored(press)) return null;
  if (press.key === 'n') return 'next-case';
  if (press.key === 'u') return 'queue';
  return null;
}

/** The selected row after a move: clamped to the rows; nothing selected yet starts at the first. */
export function moveSelection(selected: number | null, rows: number, command: 'down' | 'up'): number | null {
  if (rows === 0) return null;
  if (selected === null) return command === 'down' ? 0 : rows - 1;
  const next = command === 'down' ? selected + 1 : selected - 1;
  return Math.min(rows - 1, Math.max(0, next));
}

/** The case after `current` in the queue order last shown; null at the end or when it is not there. */
export function nextInOrder(order: readonly string[], current: string): string | null {
  const index = order.indexOf(current);
  if (index === -1) return order[0] ?? null;
  return order[index + 1] ?? null;
}
