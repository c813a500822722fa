import type { IndexSpec } from '@triage/search';

const id = { type: 'keyword' } as const;
const keyword = { type: 'keyword', ignore_above: 1024 } as const;
const epochMillis = { type: 'date', format: 'epoch_millis' } as const;
const common = {
  date_detection: false,
  numeric_detection: false,
  dynamic_templates: [{ strings: { match_mapping_type: 'string', mapping: keyword } }],
} as const;

/**
 * The hoster monitor's indices, in @triage/search's catalogue shape (versioned index behind an
 * alias, one template each): the notice cases it folds from takedowns.v1, one document per
 * `(partnerId, noticeId)`, and the reappearances, one per event. The stage writes them, the
 * API's hoster routes read them (docs/adr/0017-hoster-figures-stage.md).
 */
export const hosterIndices = {
  cases: {
    name: 'triage-hoster-cases',
    version: 1,
    description:
      'One document per notice case (partnerId, noticeId): its hoster and country from the notice IP, notice, re-notice, removal and move times.',
    mappings: {
      ...common,
      properties: {
        partnerId: id,
        noticeId: id,
        noticeEventId: id,
        sha256: id,
        itemId: id,
        asn: { type: 'long' },
        country: id,
        noticeAt: epochMillis,
        removedAt: epochMillis,
        movedAt: epochMillis,
        // Re-notice times by event id: kept, never searched (event ids would each become a field).
        renotices: { type: 'object', enabled: false },
      },
    },
  },
  reappearances: {
    name: 'triage-hoster-reappearances',
    version: 1,
    description:
      'One document per reappeared event: its hoster and country from its own IP, time and sha256.',
    mappings: {
      ...common,
      properties: {
        partnerId: id,
        eventId: id,
        sha256: id,
        asn: { type: 'long' },
        country: id,
        at: epochMillis,
      },
    },
  },
} as const satisfies Record<string, IndexSpec>;
