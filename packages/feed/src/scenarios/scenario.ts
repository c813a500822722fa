// A scenario: one story the feed tells, with the tier its reports are meant to get.
import type { FeedBuilder } from '../plan/feed-builder.ts';
import type { Tier } from '../tiers.ts';

export interface Scenario {
  /** Kebab-case, unique: the ground truth's `reports[].scenario`. */
  readonly name: string;
  /** The tier every report of this scenario must get from the facts it writes (`assessTier`). */
  readonly tier: Tier;
  /** Relative share of the draws (the planner draws a scenario per episode, weighted). */
  readonly weight: number;
  /**
   * Adds one episode: one report, or several that belong together (a chain, a cluster). Draws
   * only from `feed.random`, so the same seed plans the same feed. `remaining` is how many reports
   * the feed still wants; an episode never adds more.
   */
  plan(feed: FeedBuilder, remaining: number): void;
}
