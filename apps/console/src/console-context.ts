// What every page needs: the signed-in user, the API client and the per-user settings.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ApiClient } from './api.ts';
import type { Session } from './session.ts';

export type BlurLevel = 'standard' | 'strong';

export interface ConsoleContext {
  session: Session;
  api: ApiClient;
  /** Tell the header a preview or reveal happened (it re-reads the exposure count). */
  exposed: () => void;
}

export const consoleContext = createContext<ConsoleContext | null>(null);

export function useConsole(): ConsoleContext {
  const value = useContext(consoleContext);
  if (value === null) throw new Error('useConsole outside a signed-in page');
  return value;
}

export const blurKey = (sub: string) => `triage.console.blur.${sub}`;

export function readBlur(storage: Storage, sub: string): BlurLevel {
  return storage.getItem(blurKey(sub)) === 'strong' ? 'strong' : 'standard';
}
