// The queue order last shown (this tab only): `n` on a case page opens the case after it.
import { nextInOrder } from './keyboard.ts';

const orderKey = 'triage.console.queue-order';
const openedKey = 'triage.console.opened';

/** The case last opened: back on the queue, its row is the selected one again. */
export const rememberOpened = (storage: Storage, reportId: string) => storage.setItem(openedKey, reportId);
export const lastOpened = (storage: Storage) => storage.getItem(openedKey);

export function rememberOrder(storage: Storage, reportIds: readonly string[]): void {
  storage.setItem(orderKey, JSON.stringify(reportIds));
}

export function nextCase(storage: Storage, current: string): string | null {
  try {
    const order: unknown = JSON.parse(storage.getItem(orderKey) ?? '[]');
    if (!Array.isArray(order)) return null;
    return nextInOrder(
      order.filter((id): id is string => typeof id === 'string'),
      current,
    );
  } catch {
    return null;
  }
}
