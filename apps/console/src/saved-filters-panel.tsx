// Saved filter sets of the signed-in user (localStorage under the token's sub; see saved-filters.ts).
import { useState } from 'preact/hooks';
import { useConsole } from './console-context.ts';
import {
  parseSavedFilters,
  type SavedFilter,
  savedFiltersKey,
  withoutSavedFilter,
  withSavedFilter,
} from './saved-filters.ts';

export function SavedFilters(props: { current: string; onApply: (search: string) => void }) {
  const { session } = useConsole();
  const key = savedFiltersKey(session.sub);
  const [sets, setSets] = useState<SavedFilter[]>(() => parseSavedFilters(localStorage.getItem(key)));
  const [name, setName] = useState('');
  const store = (next: SavedFilter[]) => {
    localStorage.setItem(key, JSON.stringify(next));
    setSets(next);
  };
  return (
    <section class="saved" aria-labelledby="saved-title">
      <h2 id="saved-title">Saved filters</h2>
      {sets.length === 0 ? (
        <p class="muted small">None yet.</p>
      ) : (
        <ul>
          {sets.map((set) => (
            <li key={set.name}>
              <button type="button" class="link" onClick={() => props.onApply(set.search)}>
                {set.name}
              </button>
              <button
                type="button"
                class="small"
                aria-label={`Delete saved filter ${set.name}`}
                onClick={() => store(withoutSavedFilter(sets, set.name))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          store(withSavedFilter(sets, { name, search: props.current }));
          setName('');
        }}
      >
        <label for="saved-name">Save these filters as</label>
        <div class="row">
          <input id="saved-name" value={name} onInput={(event) => setName(event.currentTarget.value)} />
          <button type="submit" disabled={name.trim() === ''}>
            Save
          </button>
        </div>
      </form>
    </section>
  );
}
