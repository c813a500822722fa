/** A file already known to be within the match distance of the new one. */
export interface Neighbour {
  sha256: string;
  /** Its cluster: the sha256 of the cluster's founding member (the first one placed). */
  clusterId: string;
  /** Best Hamming distance over the 8 dihedral variants. */
  distance: number;
}

export interface ClusterAssignment {
  clusterId: string;
  nearestSha256: string | null;
  nearestDistance: number | null;
}

/**
 * Places a newly seen file in a near-duplicate cluster. A cluster is named after its founding
 * member, the first file placed in it (clusters are never renamed or merged); a file near several clusters joins the one whose founding member came first
 * (`firstSeenAtOf`), so a file bridging two families never starts a third.
 */
export function assignCluster(
  sha256: string,
  neighbours: readonly Neighbour[],
  firstSeenAtOf: (sha256: string) => number,
): ClusterAssignment {
  const others = neighbours.filter((neighbour) => neighbour.sha256 !== sha256);
  if (others.length === 0) return { clusterId: sha256, nearestSha256: null, nearestDistance: null };
  const nearest = others.reduce((best, next) =>
    next.distance < best.distance || (next.distance === best.distance && next.sha256 < best.sha256)
      ? next
      : best,
  );
  const clusterIds = [...new Set(others.map((neighbour) => neighbour.clusterId))];
  const clusterId = clusterIds.reduce((best, next) => {
    const bestAt = firstSeenAtOf(best);
    const nextAt = firstSeenAtOf(next);
    return nextAt < bestAt || (nextAt === bestAt && next < best) ? next : best;
  });
  return { clusterId, nearestSha256: nearest.sha256, nearestDistance: nearest.distance };
}
