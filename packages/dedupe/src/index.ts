export { assignCluster, type ClusterAssignment, type Neighbour } from './clusters.ts';
export { recordSighting, type Sighting, type SightingOutcome, sightingKey } from './sightings.ts';
