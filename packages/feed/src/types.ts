import type { IndustryClassification, IpEventName } from '@triage/schemas';
import type { FeedFormat } from './ground-truth.ts';
import type { FeedCountry } from './ip-ranges.ts';
import type { NearDuplicateEdit } from './synthetic-images.ts';
import type { Tier } from './tiers.ts';

export interface PlanOptions {
  readonly seed: number;
  /** Number of reports in the feed. */
  readonly reports: number;
  /** Most files one report may carry (batched viral reports go up to thousands). */
  readonly maxFiles: number;
  /** Reports per JSON bundle (one partner per bundle). */
  readonly reportsPerBundle: number;
  /** The country whose police the feed is for (jurisdiction facts). */
  readonly homeCountry: FeedCountry;
  /**
   * The package format the feed is written in (default `json`): an XML feed draws only the
   * scenarios XML can carry (`Scenario.formats`), so its plan differs from a JSON or ZIP feed's.
   */
  readonly format?: FeedFormat;
}

/** How one distinct media file is drawn; the renderer turns it into bytes. */
export type MediaSpec =
  | {
      readonly kind: 'shapes';
      readonly seed: number;
      readonly width: number;
      readonly height: number;
      readonly format: 'png' | 'jpeg';
      /** Meme-style caption drawn over the image (an SVG text overlay). */
      readonly caption: string | null;
    }
  | { readonly kind: 'variant'; readonly of: string; readonly edit: NearDuplicateEdit }
  | { readonly kind: 'text'; readonly text: string };

/** Where a media file comes from in the feed's story. */
type MediaOrigin = 'fresh' | 'known-pool' | 'meme' | 'family' | 'text';

export interface PlannedMedia {
  /** Stable key, e.g. `fresh-12`, `known-3`, `family-2/resize`. */
  readonly key: string;
  readonly spec: MediaSpec;
  readonly origin: MediaOrigin;
  readonly extension: 'png' | 'jpg' | 'txt';
  /** Near-duplicate family id and the edit that made this member (`original` for the base). */
  readonly family: string | null;
  readonly edit: NearDuplicateEdit | 'original' | null;
  /** Category when its MD5 is on the demo known-hash list. */
  readonly knownMd5Category: number | null;
}

export interface FeedFamily {
  readonly id: string;
  readonly originalKey: string;
  /** Category when the original's PDQ is on the demo known-hash list (its members then match perceptually). */
  readonly knownPdqCategory: number | null;
}

export interface IpEvent {
  readonly ipAddress: string;
  readonly eventName: IpEventName;
  readonly dateTime: string;
  readonly possibleProxy: boolean;
  readonly port: number;
}

export interface PlannedPerson {
  readonly screenName: string;
  readonly emails: readonly string[];
  readonly phones: readonly string[];
  readonly espIdentifier: string;
  readonly espService: string;
  readonly ipCaptureEvents: readonly IpEvent[];
  readonly deviceIds: readonly { readonly idType: string; readonly idValue: string }[];
  readonly priorCTReports: readonly string[];
  readonly estimatedLocation: { readonly countryCode: FeedCountry; readonly city: string } | null;
}

export interface PlannedFile {
  readonly fileId: string;
  readonly mediaKey: string;
  /** File name as uploaded to the reporting company. */
  readonly fileName: string;
  readonly originalFileName: string | null;
  readonly locationOfFile: string;
  readonly uploadedToEspAt: string;
  readonly fileViewedByEsp: boolean;
  readonly exifViewedByEsp: boolean;
  readonly publiclyAvailable: boolean;
  readonly fileRelevance: 'Reported' | 'Supplemental Reported';
  readonly fileAnnotations: readonly string[];
  readonly industryClassification: Exclude<IndustryClassification, 'UNKNOWN'> | null;
  readonly uploadIpEvent: IpEvent | null;
  readonly details: readonly { readonly type: 'EXIF'; readonly name: string; readonly value: string }[];
  /** The partner sends a wrong MD5 for this file (intake must record the mismatch). */
  readonly md5Mismatch: boolean;
}

export type IncidentTypeText =
  | 'Child Pornography (possession, manufacture, and distribution)'
  | 'Child Sex Trafficking'
  | 'Child Sex Tourism'
  | 'Child Sexual Molestation'
  | 'Online Enticement of Children for Sexual Acts';

export interface PlannedReport {
  readonly partnerId: string;
  /** Numeric, as the XSD types fileDetails/reportId (xs:long). */
  readonly partnerReportId: string;
  /** Name of the scenario that planned it (`scenarios/index.ts`). */
  readonly scenario: string;
  readonly intendedTier: Tier;
  readonly incidentType: IncidentTypeText;
  readonly incidentDateTime: string;
  readonly platform: string | null;
  readonly escalateToHighPriority: string | null;
  readonly reportAnnotations: readonly string[];
  readonly batched: boolean;
  /** NCMEC's priority level (1: a child believed in imminent danger); only the JSON manifest carries it. */
  readonly ncmecPriority: number | null;
  readonly reporter: {
    readonly companyName: string;
    readonly espService: string;
    readonly contactFirstName: string;
    readonly contactLastName: string;
    readonly contactEmail: string;
  };
  readonly personsReported: readonly PlannedPerson[];
  readonly victims: readonly { readonly age: number }[];
  readonly intendedRecipients: readonly { readonly age: number; readonly screenName: string }[];
  readonly webPageUrls: readonly string[];
  readonly additionalInfo: string;
  readonly files: readonly PlannedFile[];
}

export interface PlannedBundle {
  readonly partnerId: string;
  readonly bundleRef: string;
  /** Indexes into `FeedPlan.reports`. */
  readonly reports: readonly number[];
}

export interface FeedPartner {
  readonly partnerId: string;
  readonly name: string;
  readonly kind: 'tipline' | 'hotline' | 'platform';
}

export interface FeedPlan {
  readonly seed: number;
  readonly homeCountry: FeedCountry;
  /** The feed's "now": every timestamp lies before it. */
  readonly asOf: string;
  readonly partners: readonly FeedPartner[];
  readonly media: ReadonlyMap<string, PlannedMedia>;
  readonly families: readonly FeedFamily[];
  readonly reports: readonly PlannedReport[];
  readonly bundles: readonly PlannedBundle[];
  /** Every IP address used, with the hosting range it came from. */
  readonly ipAddresses: readonly {
    ipAddress: string;
    country: FeedCountry;
    cidr: string;
    provider: string;
  }[];
}
