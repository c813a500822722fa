// The project JSON manifest (bundle.json) of one planned bundle, exactly the wire format of
// docs: optional fields are left out rather than sent as null.
import type { MediaDigest } from './ground-truth.ts';
import { entryNameOf } from './truth/package-paths.ts';
import type { FeedPlan, IpEvent, PlannedBundle, PlannedFile, PlannedPerson, PlannedReport } from './types.ts';

/** A wrong MD5 for the files whose partner sends one (rotated by one digit: same shape, other value). */
export function partnerMd5(file: PlannedFile, digest: MediaDigest): string {
  return file.md5Mismatch ? `${digest.md5.slice(1)}${digest.md5[0]}` : digest.md5;
}

function ipEvent(event: IpEvent) {
  return {
    ipAddress: event.ipAddress,
    eventName: event.eventName,
    dateTime: event.dateTime,
    possibleProxy: event.possibleProxy,
    port: event.port,
  };
}

function person(planned: PlannedPerson) {
  return {
    screenName: planned.screenName,
    emails: planned.emails,
    espIdentifier: planned.espIdentifier,
    espService: planned.espService,
    ipCaptureEvents: planned.ipCaptureEvents.map(ipEvent),
    deviceIds: planned.deviceIds.map((device) => ({ idType: device.idType, idValue: device.idValue })),
    priorCTReports: planned.priorCTReports,
    ...(planned.estimatedLocation === null
      ? {}
      : {
          estimatedLocation: {
            countryCode: planned.estimatedLocation.countryCode,
            city: planned.estimatedLocation.city,
          },
        }),
  };
}

function fileEntry(
  plan: FeedPlan,
  report: PlannedReport,
  planned: PlannedFile,
  digests: ReadonlyMap<string, MediaDigest>,
) {
  const digest = digests.get(planned.mediaKey)!;
  return {
    fileId: planned.fileId,
    name: entryNameOf(plan, report, planned),
    fileName: planned.fileName,
    ...(planned.originalFileName === null ? {} : { originalFileName: planned.originalFileName }),
    locationOfFile: planned.locationOfFile,
    uploadedToEspAt: planned.uploadedToEspAt,
    fileViewedByEsp: planned.fileViewedByEsp,
    exifViewedByEsp: planned.exifViewedByEsp,
    publiclyAvailable: planned.publiclyAvailable,
    fileRelevance: planned.fileRelevance,
    fileAnnotations: planned.fileAnnotations,
    ...(planned.industryClassification === null
      ? {}
      : { industryClassification: planned.industryClassification }),
    hashes: [
      { type: 'MD5', value: partnerMd5(planned, digest) },
      { type: 'SHA1', value: digest.sha1 },
    ],
    ...(planned.uploadIpEvent === null ? {} : { uploadIpEvent: ipEvent(planned.uploadIpEvent) }),
    ...(planned.details.length === 0 ? {} : { details: planned.details }),
  };
}

function report(plan: FeedPlan, planned: PlannedReport, digests: ReadonlyMap<string, MediaDigest>) {
  return {
    reportId: planned.partnerReportId,
    incidentType: planned.incidentType,
    incidentDateTime: planned.incidentDateTime,
    ...(planned.platform === null ? {} : { platform: planned.platform }),
    ...(planned.escalateToHighPriority === null
      ? {}
      : { escalateToHighPriority: planned.escalateToHighPriority }),
    reportAnnotations: planned.reportAnnotations,
    ...(planned.batched ? { batched: { reason: 'VIRAL_POTENTIAL_MEME' } } : {}),
    ...(planned.ncmecPriority === null ? {} : { ncmecPriority: planned.ncmecPriority }),
    reporter: { companyName: planned.reporter.companyName, espService: planned.reporter.espService },
    personsReported: planned.personsReported.map(person),
    victims: planned.victims.map((victim) => ({ age: victim.age })),
    intendedRecipients: planned.intendedRecipients.map((recipient) => ({
      age: recipient.age,
      screenName: recipient.screenName,
    })),
    internetDetails: planned.webPageUrls.length === 0 ? [] : [{ type: 'webPage', urls: planned.webPageUrls }],
    additionalInfo: planned.additionalInfo,
    files: planned.files.map((file) => fileEntry(plan, planned, file, digests)),
  };
}

/** bundle.json text of one bundle. */
export function bundleJson(
  plan: FeedPlan,
  bundle: PlannedBundle,
  digests: ReadonlyMap<string, MediaDigest>,
): string {
  const manifest = {
    bundleRef: bundle.bundleRef,
    reports: bundle.reports.map((index) => report(plan, plan.reports[index]!, digests)),
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
