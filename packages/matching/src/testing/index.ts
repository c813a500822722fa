export {
  type ClusteredHashes,
  type ClusteredHashOptions,
  createBitFlipper,
  generateClusteredHashes,
  generateQueries,
  type QuerySet,
  type QuerySetOptions,
  randomPdqHash,
} from './clustered-hashes.ts';
export { LinearScan } from './linear-scan.ts';
export { createRng, type Rng } from './rng.ts';
