export { assignCluster, type ClusterAssignment, type Neighbour } from './clusters.ts';
export {
  type DedupeLookups,
  type DedupeOptions,
  type DedupeOutcome,
  dedupeFile,
  type ObservedFile,
} from './dedupe-file.ts';
export { InMemoryDedupe } from './in-memory-dedupe.ts';
export { MediaIndex } from './media-index.ts';
export { recordSighting, type Sighting, type SightingOutcome, sightingKey } from './sightings.ts';
