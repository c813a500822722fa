// What a scenario hands the feed builder: a report and its files before ids, names and times.
import type { AllocatedIp } from '../ip-ranges.ts';
import type { Tier } from '../tiers.ts';
import type { FeedPartner, IncidentTypeText, PlannedFile, PlannedPerson } from '../types.ts';
import type { Esp } from '../vocabulary.ts';

export interface ReportDraft {
  readonly partner: FeedPartner;
  readonly scenario: string;
  readonly tier: Tier;
  readonly esp: Esp;
  readonly incidentType: IncidentTypeText;
  readonly incidentMs: number;
  readonly escalation?: string | null;
  readonly annotations?: readonly string[];
  readonly batched?: boolean;
  /** NCMEC's priority level (JSON only). */
  readonly ncmecPriority?: number | null;
  readonly persons: readonly PlannedPerson[];
  readonly victims?: readonly { age: number }[];
  readonly recipients?: readonly { age: number; screenName: string }[];
  readonly urls?: readonly string[];
  readonly files: readonly FileDraft[];
}

export interface FileDraft {
  readonly mediaKey: string;
  readonly annotations?: readonly string[];
  readonly classification?: PlannedFile['industryClassification'];
  /** The uploader's address, when the company captured it. */
  readonly uploadIp?: AllocatedIp | null;
}
