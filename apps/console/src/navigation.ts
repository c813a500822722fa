// Client-side navigation: history.pushState and one event every page listens to.
import { useEffect, useState } from 'preact/hooks';
import type { KeyPress } from './keyboard.ts';

const changed = 'triage:navigate';

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (options.replace === true) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  window.dispatchEvent(new Event(changed));
  window.scrollTo(0, 0);
}

export interface Place {
  pathname: string;
  search: string;
}

const here = (): Place => ({ pathname: location.pathname, search: location.search });

/** The current path and query, re-rendering on navigation and on the browser's back and forward. */
export function usePlace(): Place {
  const [place, setPlace] = useState(here);
  useEffect(() => {
    const update = () => setPlace(here());
    window.addEventListener('popstate', update);
    window.addEventListener(changed, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(changed, update);
    };
  }, []);
  return place;
}

/** An in-app link: a real href (open in a new tab works), navigated without a reload on a plain click. */
export function onLinkClick(event: MouseEvent): void {
  if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
  const anchor = event.currentTarget as HTMLAnchorElement;
  event.preventDefault();
  navigate(anchor.getAttribute('href') ?? '/');
}

/** A keyboard event as the keyboard map reads it (its fields are getters: copied by name). */
export function keyPress(event: KeyboardEvent): KeyPress {
  return {
    key: event.key,
    ctrlKey: event.ctrlKey,
    metaKey: event.metaKey,
    altKey: event.altKey,
    inField: inField(event.target),
  };
}

/** True when a key press went to a field (then single-letter shortcuts are the field's). */
function inField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA', 'BUTTON'].includes(target.tagName);
}
