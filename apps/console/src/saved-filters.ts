// Saved filter sets, per user: kept in the browser's localStorage under the token's `sub` (the
// API stores none; a shared workstation shows each analyst only their own sets). A set is a name
// and the queue's query string without the place in the pages.

export interface SavedFilter {
  name: string;
  search: string;
}

const maxSets = 30;

export const savedFiltersKey = (sub: string) => `triage.console.filters.${sub}`;

/** Reads a stored list; anything malformed counts as no sets rather than breaking the page. */
export function parseSavedFilters(text: string | null): SavedFilter[] {
  if (text === null) return [];
  try {
    const value: unknown = JSON.parse(text);
    if (!Array.isArray(value)) return [];
    return value.filter(
      (entry): entry is SavedFilter =>
        typeof entry === 'object' &&
        entry !== null &&
        typeof entry.name === 'string' &&
        typeof entry.search === 'string',
    );
  } catch {
    return [];
  }
}

/** Adds a set, replacing one of the same name; sorted by name, at most 30 kept. */
export function withSavedFilter(sets: readonly SavedFilter[], added: SavedFilter): SavedFilter[] {
  const name = added.name.trim();
  if (name === '') return [...sets];
  return [...sets.filter((set) => set.name !== name), { name, search: added.search }]
    .sort((a, b) => a.name.localeCompare(b.name))
    .slice(0, maxSets);
}

export const withoutSavedFilter = (sets: readonly SavedFilter[], name: string) =>
  sets.filter((set) => set.name !== name);
