// The API client: same origin only, the bearer token on every request, problems (RFC 9457) turned
// into ApiError with the API's code and detail so a page can say why (a denied reveal shows the
// API's reason). A 401 ends the session (the token expired or was refused).

class ApiError extends Error {
  readonly status: number;
  readonly code: string | null;
  readonly detail: string | null;

  constructor(options: { status: number; code: string | null; detail: string | null; title: string }) {
    super(options.detail ?? options.title);
    this.name = 'ApiError';
    this.status = options.status;
    this.code = options.code;
    this.detail = options.detail;
  }
}

export interface ApiClientOptions {
  token: () => string | null;
  /** Called on a 401: the token is no longer good. */
  onUnauthorized: () => void;
}

async function problemOf(response: Response): Promise<ApiError> {
  let body: Record<string, unknown> = {};
  try {
    body = (await response.json()) as Record<string, unknown>;
  } catch {
    // Not a problem document: the status says enough.
  }
  const text = (key: string) => (typeof body[key] === 'string' ? (body[key] as string) : null);
  return new ApiError({
    status: response.status,
    code: text('code'),
    detail: text('detail'),
    title: text('title') ?? `${response.status} ${response.statusText}`,
  });
}

export interface ApiClient {
  json<T>(path: string, init?: { method?: string; body?: unknown }): Promise<T>;
  blob(path: string, init?: { method?: string; body?: unknown }): Promise<Blob>;
  /** A download (CSV, an export) as a Blob: with the token, outside the media slots. */
  file(path: string, accept: string): Promise<Blob>;
}

/**
 * Media answers are decoded on the server a few at a time (TRIAGE_API_MEDIA_CONCURRENCY, default 2;
 * beyond it 503): the console asks for at most that many at once rather than be refused.
 */
const mediaSlots = 2;
let mediaBusy = 0;
const mediaWaiting: (() => void)[] = [];

async function withMediaSlot<T>(work: () => Promise<T>): Promise<T> {
  if (mediaBusy >= mediaSlots) await new Promise<void>((resolve) => mediaWaiting.push(resolve));
  mediaBusy++;
  try {
    return await work();
  } finally {
    mediaBusy--;
    mediaWaiting.shift()?.();
  }
}

const retryAfterMs = (response: Response) => {
  const seconds = Number(response.headers.get('retry-after') ?? '1');
  return Math.min(5, Number.isFinite(seconds) && seconds > 0 ? seconds : 1) * 1000;
};

export function createApiClient(options: ApiClientOptions): ApiClient {
  async function send(
    path: string,
    init: { method?: string; body?: unknown },
    accept: string,
    attempt = 0,
  ): Promise<Response> {
    const headers: Record<string, string> = { accept };
    const token = options.token();
    if (token !== null) headers.authorization = `Bearer ${token}`;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(path, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? null : JSON.stringify(init.body),
      credentials: 'omit',
      cache: 'no-store',
    });
    if (!response.ok) {
      // Busy (media decodes, a dependency catching up): the API says when to come back.
      if (response.status === 503 && response.headers.has('retry-after') && attempt < 3) {
        await new Promise((resolve) => setTimeout(resolve, retryAfterMs(response)));
        return send(path, init, accept, attempt + 1);
      }
      if (response.status === 401 && token !== null) options.onUnauthorized();
      throw await problemOf(response);
    }
    return response;
  }
  return {
    json: async <T>(path: string, init = {}) =>
      (await (await send(path, init, 'application/json')).json()) as T,
    blob: (path, init = {}) => withMediaSlot(async () => (await send(path, init, 'image/*')).blob()),
    file: async (path, accept) => (await send(path, {}, accept)).blob(),
  };
}

/** One line for an error shown to the user. */
export const errorText = (error: unknown) =>
  error instanceof ApiError
    ? `${error.detail ?? error.message}${error.code === null ? '' : ` (${error.code})`}`
    : error instanceof Error
      ? error.message
      : String(error);
