export {
  type ExactHashAlgorithm,
  ExactHashSet,
  type ExactHashSetOptions,
  exactHashWords,
  maxExactRef,
} from './exact/exact-hash-set.ts';
export { pdqDefaults } from './pdq/match-defaults.ts';
export {
  maxRows,
  type PdqIndexOptions,
  pdqIndexDefaults,
  type ResolvedPdqIndexOptions,
} from './pdq/options.ts';
export {
  formatPdqHash,
  type PdqHashInput,
  parsePdqHash,
  pdqBits,
  pdqDistance,
  pdqHexLength,
  pdqWords,
} from './pdq/pdq-hash.ts';
export { PdqIndex } from './pdq/pdq-index.ts';
export { type SlotLayout, slotLayout, slotRadii } from './pdq/slots.ts';
export type { PdqIndexStats, PdqMatch, PdqSegmentStats } from './pdq/types.ts';
