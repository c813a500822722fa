// The feed's three invented partners and their report-id ranges.
import type { FeedPartner } from '../types.ts';

export const tiplinePartner: FeedPartner = {
  partnerId: 'tipline-nl',
  name: 'Example National Tipline (relays NCMEC CyberTipline reports)',
  kind: 'tipline',
};
export const hotlinePartner: FeedPartner = {
  partnerId: 'hotline-nl',
  name: 'Example Hotline',
  kind: 'hotline',
};
export const platformPartner: FeedPartner = {
  partnerId: 'platform-social',
  name: 'Example Social (reports directly)',
  kind: 'platform',
};

/** In this order in the plan, the ground truth and the bundles. */
export const partners: readonly FeedPartner[] = [tiplinePartner, hotlinePartner, platformPartner];

/** Partner report ids are numeric (XSD xs:long): tipline 1xxxxxxxx, hotline 3xxxxxxxx, platform 5xxxxxxxx. */
export const reportIdBase: Record<FeedPartner['kind'], number> = {
  tipline: 100_000_000,
  hotline: 300_000_000,
  platform: 500_000_000,
};
