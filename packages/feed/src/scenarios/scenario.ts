// A scenario: one story the feed tells, with the tier its reports are meant to get.
import type { FeedFormat } from '../ground-truth.ts';
import type { FeedBuilder } from '../plan/feed-builder.ts';
import type { Tier } from '../tiers.ts';

export interface Scenario {
  /** Kebab-case, unique: the ground truth's `reports[].scenario`. */
  readonly name: string;
  /**
   * The tiers its reports must get from the facts they write (`assessTier`): one for most; where
   * there are several, `plan` sets each report's tier from what it drew (the first by default).
   */
  readonly tiers: readonly [Tier, ...Tier[]];
  /** The feed formats that can carry it (default: all); an XML feed never draws a JSON-only scenario. */
  readonly formats?: readonly FeedFormat[];
  /** Relative share of the draws (the planner draws a scenario per episode, weighted). */
  readonly weight: number;
  /**
   * Adds one episode: one report, or several that belong together (a chain, a cluster). Draws
   * only from `feed.random`, so the same seed plans the same feed. `remaining` is how many reports
   * the feed still wants; an episode never adds more.
   */
  plan(feed: FeedBuilder, remaining: number): void;
}
