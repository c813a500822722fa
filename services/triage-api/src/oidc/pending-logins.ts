// Sign-ins between `start` and `callback`: state -> PKCE verifier, kept in memory for a few
// minutes. Bounded so that anyone calling the public start route in a loop cannot grow it without
// end: when full, the oldest pending sign-in is dropped (that user starts again). Each state is
// taken once (a replayed callback finds nothing). One API instance only: behind several
// instances the callback must reach the one that started (sticky sessions), see ADR 0012.

interface PendingLogin {
  verifier: string;
  /** Epoch ms after which the state is refused. */
  expiresAt: number;
}

export interface PendingLoginsOptions {
  /** How long a sign-in may take at the identity provider. */
  ttlMs: number;
  /** Most sign-ins pending at once. */
  maxEntries: number;
  /** Default: Date.now. */
  now?: () => number;
}

export interface PendingLogins {
  put(state: string, verifier: string): void;
  /** The verifier for `state` if it is pending and fresh; removes it either way. */
  take(state: string): string | undefined;
  size(): number;
}

export function pendingLogins(options: PendingLoginsOptions): PendingLogins {
  const now = options.now ?? Date.now;
  // A Map iterates in insertion order, and every entry has the same TTL: the first is the oldest.
  const entries = new Map<string, PendingLogin>();

  function dropExpired(at: number) {
    for (const [state, entry] of entries) {
      if (entry.expiresAt > at) break;
      entries.delete(state);
    }
  }

  return {
    put(state, verifier) {
      const at = now();
      dropExpired(at);
      while (entries.size >= options.maxEntries) {
        const oldest = entries.keys().next().value as string;
        entries.delete(oldest);
      }
      entries.set(state, { verifier, expiresAt: at + options.ttlMs });
    },
    take(state) {
      const entry = entries.get(state);
      entries.delete(state);
      if (entry === undefined || entry.expiresAt <= now()) return undefined;
      return entry.verifier;
    },
    size: () => entries.size,
  };
}
