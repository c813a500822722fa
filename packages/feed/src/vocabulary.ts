// Invented words and texts for the synthetic feed. Nothing here describes abuse: escalation texts
// say that a child may be at risk, as a reporting company would, without any content.
import type { FeedCountry } from './ip-ranges.ts';
import type { IncidentTypeText } from './types.ts';

export const adjectives = [
  'amber',
  'brisk',
  'cobalt',
  'dusty',
  'eager',
  'fuzzy',
  'gentle',
  'hazel',
  'icy',
  'jolly',
  'kind',
  'lunar',
  'misty',
  'noble',
  'olive',
  'polar',
  'quiet',
  'rusty',
  'silver',
  'tidy',
] as const;

export const nouns = [
  'otter',
  'falcon',
  'maple',
  'comet',
  'harbor',
  'pebble',
  'lantern',
  'meadow',
  'rocket',
  'walrus',
  'cactus',
  'glacier',
  'puffin',
  'tulip',
  'badger',
  'canyon',
  'ember',
  'willow',
  'zephyr',
  'kiwi',
] as const;

export const cities: Record<FeedCountry, readonly string[]> = {
  NL: ['Utrecht', 'Amsterdam', 'Rotterdam', 'Eindhoven', 'Groningen'],
  DE: ['Berlin', 'Hamburg', 'Leipzig'],
  US: ['Columbus', 'Denver', 'Sacramento'],
  GB: ['Leeds', 'Bristol', 'Glasgow'],
  FR: ['Lyon', 'Lille', 'Nantes'],
};

export const escalationTexts = [
  'The user arranged to meet the child in person within days; we believe the child is at ongoing risk.',
  'The reported user is pressuring the child to keep talking in private and to meet; account preserved.',
  'Threats to share images unless the child sends more; the child said they feel unsafe.',
  'The child told our support team they are afraid; the reported account is still active and preserved.',
] as const;

export const sextortionEscalationTexts = [
  'Threats to publish images unless a payment is made by tomorrow; the child asked for help.',
  'Repeated threats to send images to the child’s contacts; the child stopped responding and may be at risk.',
] as const;

export const memeCaptions = [
  'WHEN THE BUILD IS GREEN',
  'MONDAY AGAIN',
  'ONE DOES NOT SIMPLY',
  'SYNTHETIC CAT FACTS',
  'TFW THE TEST PASSES',
  'NOT A REAL MEME',
  'COFFEE FIRST',
  'IT WORKS ON MY MACHINE',
] as const;

export interface Esp {
  readonly companyName: string;
  readonly espService: string;
  readonly domain: string;
  readonly platform: string;
}

export const esps: readonly [Esp, ...Esp[]] = [
  {
    companyName: 'Example Social',
    espService: 'Photos',
    domain: 'social.example.com',
    platform: 'Example Social',
  },
  {
    companyName: 'Example Chat',
    espService: 'Messenger',
    domain: 'chat.example.com',
    platform: 'Example Chat',
  },
  {
    companyName: 'Example Cloud',
    espService: 'Drive',
    domain: 'cloud.example.org',
    platform: 'Example Cloud',
  },
  {
    companyName: 'Example Photos',
    espService: 'Albums',
    domain: 'photos.example.org',
    platform: 'Example Photos',
  },
];

export const hotlineEsp: Esp = {
  companyName: 'Example Hotline',
  espService: 'Public web reports',
  domain: 'hotline.example.org',
  platform: 'Web',
};

export const contactNames = [
  ['Sam', 'Jansen'],
  ['Alex', 'de Vries'],
  ['Robin', 'Bakker'],
  ['Kim', 'Visser'],
] as const;

export const CSAM: IncidentTypeText = 'Child Pornography (possession, manufacture, and distribution)';
export const ENTICEMENT: IncidentTypeText = 'Online Enticement of Children for Sexual Acts';
/** The incident types that put a child at risk (the `victim_risk_incident` fact). */
export const victimRiskIncidents: readonly IncidentTypeText[] = [
  ENTICEMENT,
  'Child Sex Trafficking',
  'Child Sexual Molestation',
];
/**
 * The incident types of the scorer's escalated_contact_offence floor (packages/scoring
 * rules/default.json): the victim-risk ones and sex tourism (the `contact_offence` fact).
 */
export const contactOffenceIncidents: readonly IncidentTypeText[] = [
  ...victimRiskIncidents,
  'Child Sex Tourism',
];
/** File annotations that indicate production (the `production_indicator` fact). */
export const productionAnnotations = [
  'possibleSelfProduction',
  'liveStreaming',
  'infant',
  'physicalHarm',
] as const;
