// The queue page's state and its URL: filters, full text, sort and the place in the pages. The URL
// holds all of it (a link can be shared and reloads keep the place); paging keeps a stack of the
// cursors of earlier pages (`prev`, '' for the first page) so Previous needs no server support.

const listFilters = [
  'tier',
  'status',
  'novelty',
  'partner',
  'country',
  'incidentType',
  'knownList',
  'assignee',
] as const;
export type ListFilter = (typeof listFilters)[number];

type QueueSort = 'score' | 'received';

export interface QueueState {
  filters: Record<ListFilter, string[]>;
  /** `true`/`false` filter on the network facts; null: either. */
  inJurisdiction: boolean | null;
  /** Full text over the report text; '' for none. */
  q: string;
  sort: QueueSort;
  /** Cursor of the page shown; null for the first page. */
  cursor: string | null;
  /** Cursors of the pages before this one, oldest first ('' stands for the first page). */
  prev: string[];
}

const noFilters = (): Record<ListFilter, string[]> =>
  Object.fromEntries(listFilters.map((name) => [name, []])) as unknown as Record<ListFilter, string[]>;

export const emptyQueueState = (): QueueState => ({
  filters: noFilters(),
  inJurisdiction: null,
  q: '',
  sort: 'score',
  cursor: null,
  prev: [],
});

/** Reads the state from a query string (`?tier=P1&tier=P2&q=...`); unknown parameters are ignored. */
export function parseQueueSearch(search: string): QueueState {
  const params = new URLSearchParams(search);
  const state = emptyQueueState();
  for (const name of listFilters) {
    state.filters[name] = [...new Set(params.getAll(name).filter((value) => value !== ''))];
  }
  const inJurisdiction = params.get('inJurisdiction');
  state.inJurisdiction = inJurisdiction === 'true' ? true : inJurisdiction === 'false' ? false : null;
  state.q = params.get('q')?.trim() ?? '';
  state.sort = params.get('sort') === 'received' ? 'received' : 'score';
  const cursor = params.get('cursor');
  state.cursor = cursor === null || cursor === '' ? null : cursor;
  state.prev = state.cursor === null ? [] : params.getAll('prev');
  return state;
}

function filterParams(state: QueueState): URLSearchParams {
  const params = new URLSearchParams();
  for (const name of listFilters) for (const value of state.filters[name]) params.append(name, value);
  if (state.inJurisdiction !== null) params.set('inJurisdiction', String(state.inJurisdiction));
  if (state.q !== '') params.set('q', state.q);
  return params;
}

/** The query string of the console URL (`?...`, or '' for the default queue); defaults left out. */
export function queueSearch(state: QueueState): string {
  const params = filterParams(state);
  if (state.sort !== 'score') params.set('sort', state.sort);
  if (state.cursor !== null) {
    params.set('cursor', state.cursor);
    for (const cursor of state.prev) params.append('prev', cursor);
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** The query string of `GET /v1/cases` for the state (without the console-only `prev`). */
export function casesApiSearch(state: QueueState, limit: number): string {
  const params = filterParams(state);
  params.set('sort', state.sort);
  params.set('limit', String(limit));
  if (state.cursor !== null) params.set('cursor', state.cursor);
  return `?${params.toString()}`;
}

/** Any change of filters, text or sort starts again on the first page (a cursor belongs to its query). */
export function withQuery(
  state: QueueState,
  change: Partial<Pick<QueueState, 'inJurisdiction' | 'q' | 'sort'>> & {
    filters?: Partial<Record<ListFilter, string[]>>;
  },
): QueueState {
  return {
    ...state,
    ...change,
    filters: { ...state.filters, ...change.filters },
    cursor: null,
    prev: [],
  };
}

/** Toggles one value of a list filter. */
export function toggleFilter(state: QueueState, name: ListFilter, value: string): QueueState {
  const values = state.filters[name];
  const next = values.includes(value) ? values.filter((v) => v !== value) : [...values, value];
  return withQuery(state, { filters: { [name]: next } });
}

/** The next page: the current cursor goes on the stack. */
export function nextPage(state: QueueState, nextCursor: string): QueueState {
  return { ...state, prev: [...state.prev, state.cursor ?? ''], cursor: nextCursor };
}

/** The previous page: the top of the stack; the first page stays the first page. */
export function previousPage(state: QueueState): QueueState {
  if (state.prev.length === 0) return { ...state, cursor: null };
  const back = state.prev.at(-1)!;
  return { ...state, prev: state.prev.slice(0, -1), cursor: back === '' ? null : back };
}

/** 1-based number of the page shown. */
export const pageNumber = (state: QueueState) => state.prev.length + 1;

/** The filters of a state as a saved filter set stores them: the query without the place in the pages. */
export const filterSearch = (state: QueueState): string => queueSearch({ ...state, cursor: null, prev: [] });
