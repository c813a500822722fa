// Why a case has its tier, as bars: each reason's contribution scaled to the largest one, floors
// (`floor:<name>`, contribution 0: they set the lowest tier rather than add points) marked apart.

export interface ScoreReason {
  factor: string;
  field?: string | null;
  value?: string | null;
  contribution: number;
}

export interface ReasonBar {
  /** Readable name: `victim present`, or the floor's name. */
  label: string;
  factor: string;
  /** What triggered it (already redacted by the scorer). */
  detail: string | null;
  contribution: number;
  kind: 'raises' | 'lowers' | 'floor';
  /** Bar length in percent of the largest absolute contribution (0 for floors). */
  percent: number;
}

const floorPrefix = 'floor:';

const readable = (factor: string) => factor.replaceAll('_', ' ');

/** Floors first (as the scorer lists them), then factors by absolute contribution, largest first. */
export function reasonBars(reasons: readonly ScoreReason[]): ReasonBar[] {
  const largest = Math.max(0, ...reasons.map((reason) => Math.abs(reason.contribution)));
  const bars = reasons.map((reason): ReasonBar => {
    const floor = reason.factor.startsWith(floorPrefix);
    return {
      label: floor ? `floor: ${readable(reason.factor.slice(floorPrefix.length))}` : readable(reason.factor),
      factor: reason.factor,
      detail: reason.value ?? null,
      contribution: reason.contribution,
      kind: floor ? 'floor' : reason.contribution < 0 ? 'lowers' : 'raises',
      percent: floor || largest === 0 ? 0 : Math.round((Math.abs(reason.contribution) / largest) * 1000) / 10,
    };
  });
  const floors = bars.filter((bar) => bar.kind === 'floor');
  const factors = bars
    .filter((bar) => bar.kind !== 'floor')
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
  return [...floors, ...factors];
}

/** `+25`, `-5`, `0`: a contribution as text next to its bar. */
export const signed = (value: number) => (value > 0 ? `+${value}` : String(value));
