// What a scenario plans with: the feed's one seeded stream, its media catalogue and suspects, and
// `report`, which turns a scenario's draft into a numbered report with its files.
import { type FeedCountry, feedCountries } from '../ip-ranges.ts';
import { createRandom, deriveSeed, type Random, randomHex } from '../random.ts';
import type { Scenario } from '../scenarios/scenario.ts';
import type { FeedPartner, PlannedFile, PlannedReport, PlanOptions } from '../types.ts';
import { contactNames, type Esp, esps } from '../vocabulary.ts';
import type { FileDraft, ReportDraft } from './drafts.ts';
import { MediaCatalogue } from './media-catalogue.ts';
import { platformPartner, reportIdBase, tiplinePartner } from './partners.ts';
import { Suspects } from './suspects.ts';
import { DAY, isoSeconds } from './timestamps.ts';

export class FeedBuilder {
  readonly options: PlanOptions;
  /** One stream for the whole plan: the same seed makes the same choices in the same order. */
  readonly random: Random;
  /** The feed's "now" (fixed per seed): every timestamp lies before it. */
  readonly asOfMs: number;
  readonly media: MediaCatalogue;
  readonly suspects: Suspects;
  readonly #reports: PlannedReport[] = [];
  readonly #reportCounters = new Map<string, number>();
  #fileNameCount = 0;

  constructor(options: PlanOptions) {
    this.options = options;
    this.random = createRandom(deriveSeed(options.seed, 'plan'));
    // A fixed "now" per seed: the feed's timestamps never depend on the clock.
    this.asOfMs = Date.UTC(2026, 10, 28, 12) - (options.seed % 90) * DAY;
    this.suspects = new Suspects({
      random: this.random,
      seed: options.seed,
      homeCountry: options.homeCountry,
      asOfMs: this.asOfMs,
    });
    this.media = new MediaCatalogue({
      random: this.random,
      seed: options.seed,
      reports: options.reports,
      maxFiles: options.maxFiles,
    });
  }

  /** The reports planned so far, in order. */
  get reports(): readonly PlannedReport[] {
    return this.#reports;
  }

  /**
   * What every report of `scenario` shares: partner, reporting company, an incident time in the
   * last 20 days and the scenario's first tier (a scenario with several says which per report).
   */
  common(scenario: Scenario, partner: FeedPartner, esp?: Esp) {
    const r = this.random;
    return {
      partner,
      scenario: scenario.name,
      tier: scenario.tiers[0],
      esp: esp ?? (partner.kind === 'platform' ? esps[0] : r.pick(esps)),
      incidentMs: this.asOfMs - r.int(1, 20) * DAY - r.int(0, DAY / 1000) * 1000,
    };
  }

  /** An incident 380-420 days before "now": its recency has decayed to nothing (a dampener). */
  oldIncidentMs(): number {
    return this.asOfMs - this.random.int(380, 420) * DAY;
  }

  /** The tipline (three in four) or the platform. */
  partner(): FeedPartner {
    return this.random.chance(0.75) ? tiplinePartner : platformPartner;
  }

  /** A feed country other than the home country. */
  abroad(): FeedCountry {
    return this.random.pick(feedCountries.filter((country) => country !== this.options.homeCountry));
  }

  /** Earlier CyberTipline report ids outside the feed, for some suspects. */
  priorIds(): string[] {
    const r = this.random;
    return r.chance(0.15) ? [String(90_000_000 + r.int(0, 9_999_999))] : [];
  }

  /** Numbers the draft's report within its partner, fills in its files and adds it to the plan. */
  report(draft: ReportDraft): PlannedReport {
    const r = this.random;
    const { seed } = this.options;
    const partnerId = draft.partner.partnerId;
    const counter = this.#reportCounters.get(partnerId) ?? 0;
    this.#reportCounters.set(partnerId, counter + 1);
    const partnerReportId = String(reportIdBase[draft.partner.kind] + (seed % 997) * 100_000 + counter + 1);
    const [firstName, lastName] = r.pick(contactNames);
    const files = draft.files.map((file, index) => this.#file(file, index, draft));
    const report: PlannedReport = {
      partnerId,
      partnerReportId,
      scenario: draft.scenario,
      intendedTier: draft.tier,
      incidentType: draft.incidentType,
      incidentDateTime: isoSeconds(draft.incidentMs),
      platform: draft.esp.platform,
      escalateToHighPriority: draft.escalation ?? null,
      reportAnnotations: draft.annotations ?? [],
      batched: draft.batched ?? false,
      ncmecPriority: draft.ncmecPriority ?? null,
      reporter: {
        companyName: draft.esp.companyName,
        espService: draft.esp.espService,
        contactFirstName: firstName,
        contactLastName: lastName,
        contactEmail: `trust-safety@${draft.esp.domain}`,
      },
      personsReported: draft.persons,
      victims: draft.victims ?? [],
      intendedRecipients: draft.recipients ?? [],
      webPageUrls: draft.urls ?? [],
      additionalInfo: `Synthetic test report (triage feed, seed ${seed}, scenario ${draft.scenario}). Invented data; nothing real.`,
      files,
    };
    this.#reports.push(report);
    return report;
  }

  #file(draft: FileDraft, index: number, report: ReportDraft): PlannedFile {
    const r = this.random;
    const media = this.media.get(draft.mediaKey);
    const uploadedMs = report.incidentMs - r.int(0, 48 * 3600) * 1000;
    const serial = ++this.#fileNameCount;
    const fileName =
      media.extension === 'txt'
        ? 'chat-excerpt.txt'
        : media.origin === 'meme' || (media.spec.kind === 'shapes' && media.spec.caption !== null)
          ? `meme_${serial}.${media.extension}`
          : media.extension === 'jpg'
            ? `IMG_${String(serial % 10_000).padStart(4, '0')}.jpg`
            : `image_${serial}.png`;
    return {
      fileId: `f-${index + 1}`,
      mediaKey: draft.mediaKey,
      fileName,
      originalFileName: r.chance(0.3) ? `upload_${randomHex(r, 6)}.${media.extension}` : null,
      locationOfFile: `https://cdn.${report.esp.domain}/${randomHex(r, 16)}.${media.extension}`,
      uploadedToEspAt: isoSeconds(uploadedMs),
      fileViewedByEsp: r.chance(0.85),
      exifViewedByEsp: r.chance(0.1),
      publiclyAvailable: r.chance(0.2),
      fileRelevance: r.chance(0.9) ? 'Reported' : 'Supplemental Reported',
      fileAnnotations: draft.annotations ?? [],
      industryClassification: draft.classification ?? null,
      uploadIpEvent:
        draft.uploadIp === undefined || draft.uploadIp === null
          ? null
          : this.suspects.ipEvent(draft.uploadIp, 'Upload', uploadedMs - 3_600_000, false),
      details:
        media.extension === 'jpg' && r.chance(0.2)
          ? [{ type: 'EXIF', name: 'Model', value: 'Example Cam 3' }]
          : [],
      md5Mismatch: report.partner.kind === 'tipline' && !report.batched && r.chance(0.01),
    };
  }
}
