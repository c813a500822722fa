// Memory over a run: samples per process (RSS or JS heap) and whether their growth levels off. Pure.

export interface MemorySample {
  /** ms since the load started. */
  readonly atMs: number;
  readonly bytes: number;
}

type GrowthVerdict = 'flat' | 'levels off' | 'still growing';

export interface MemoryTrend {
  readonly startBytes: number;
  readonly endBytes: number;
  readonly peakBytes: number;
  /** Least-squares slopes, bytes per minute: over the first half of the samples, and over the last quarter (where the run ends up). */
  readonly firstHalfSlope: number;
  readonly lastQuarterSlope: number;
  readonly verdict: GrowthVerdict;
}

/** Growth below this (per minute) is noise: a JIT, a buffer pool, a page cache touch. */
const flatBytesPerMinute = 2 * 1024 * 1024;

function slopePerMinute(samples: readonly MemorySample[]): number {
  if (samples.length < 2) return 0;
  const n = samples.length;
  const meanX = samples.reduce((sum, s) => sum + s.atMs, 0) / n;
  const meanY = samples.reduce((sum, s) => sum + s.bytes, 0) / n;
  let num = 0;
  let den = 0;
  for (const s of samples) {
    num += (s.atMs - meanX) * (s.bytes - meanY);
    den += (s.atMs - meanX) ** 2;
  }
  return den === 0 ? 0 : (num / den) * 60_000;
}

/**
 * Start, end and the verdict: `flat` when the last quarter grows less than 2 MiB a minute,
 * `levels off` when it grows at most a quarter as fast as the first half did, else `still growing`
 * (a leak, or a run too short to tell). The last quarter, not the last half: a bounded cache that
 * fills at two thirds of the run shows its plateau there.
 */
export function memoryTrend(samples: readonly MemorySample[]): MemoryTrend {
  if (samples.length === 0) throw new RangeError('no memory samples');
  const middle = Math.floor((samples.length - 1) / 2);
  const lastQuarter = Math.floor(((samples.length - 1) * 3) / 4);
  const firstHalfSlope = slopePerMinute(samples.slice(0, middle + 1));
  const lastQuarterSlope = slopePerMinute(samples.slice(lastQuarter));
  const verdict: GrowthVerdict =
    lastQuarterSlope < flatBytesPerMinute
      ? 'flat'
      : lastQuarterSlope <= firstHalfSlope / 4
        ? 'levels off'
        : 'still growing';
  return {
    startBytes: samples[0]!.bytes,
    endBytes: samples.at(-1)!.bytes,
    peakBytes: Math.max(...samples.map((s) => s.bytes)),
    firstHalfSlope,
    lastQuarterSlope,
    verdict,
  };
}
