// Why this tier: each reason's contribution as a bar with its value in text (screen readers read
// the list; the bars only draw it), floors marked apart as what set the lowest tier.
import { reasonBars, type ScoreReason, signed } from './reason-bars.ts';

export function ReasonsChart(props: { reasons: readonly ScoreReason[]; score?: number | undefined }) {
  const bars = reasonBars(props.reasons);
  if (bars.length === 0) return <p class="muted">No reasons recorded.</p>;
  return (
    <ul class="reasons-chart" data-testid="reasons-chart" aria-label="Score contributions">
      {bars.map((bar) => (
        <li key={bar.factor} class={`reason reason-${bar.kind}`}>
          <span class="reason-label">
            {bar.kind === 'floor' ? (
              <>
                <span class="floor-mark">FLOOR</span> {bar.label.replace(/^floor: /, '')}
              </>
            ) : (
              bar.label
            )}
          </span>
          <span class="reason-bar-track" aria-hidden="true">
            {bar.kind !== 'floor' && (
              <span class={`reason-bar reason-bar-${bar.kind}`} style={{ width: `${bar.percent}%` }} />
            )}
          </span>
          <span class="reason-value">
            {bar.kind === 'floor' ? 'sets a lowest tier' : `${signed(bar.contribution)} points`}
          </span>
          {bar.detail !== null && <span class="reason-detail muted">{bar.detail}</span>}
        </li>
      ))}
    </ul>
  );
}
