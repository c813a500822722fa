// A tier as a badge: the text carries the meaning, the colour only helps.
export function TierBadge(props: { tier: string; testId?: string }) {
  return (
    <span class={`tier tier-${props.tier.toLowerCase()}`} data-testid={props.testId}>
      {props.tier}
    </span>
  );
}
