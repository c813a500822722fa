// One GET of the API as page state: the answer or the error's text, read again when the path or
// the tick changes; an answer that arrives after the page moved on is dropped.
import { useEffect, useState } from 'preact/hooks';
import { errorText } from './api.ts';
import { useConsole } from './console-context.ts';

export interface ApiRead<T> {
  data: T | null;
  error: string | null;
}

/** `path` null: nothing to read (yet). `tick`: bump it to read the same path again. */
export function useApiRead<T>(path: string | null, tick = 0): ApiRead<T> {
  const { api } = useConsole();
  const [read, setRead] = useState<ApiRead<T>>({ data: null, error: null });
  useEffect(() => {
    if (path === null) {
      setRead({ data: null, error: null });
      return undefined;
    }
    let live = true;
    api
      .json<T>(path)
      .then((data) => live && setRead({ data, error: null }))
      .catch(
        (failure: unknown) => live && setRead((last) => ({ data: last.data, error: errorText(failure) })),
      );
    return () => {
      live = false;
    };
  }, [api, path, tick]);
  return read;
}
