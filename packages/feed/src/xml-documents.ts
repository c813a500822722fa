// NCMEC CyberTipline XML of one planned report: the <report> document and one <fileDetails> per
// file, child elements in the order the XSD's sequences require (the XSD rejects any other).
import { create } from 'xmlbuilder2';
import type { MediaDigest } from './ground-truth.ts';
import { partnerMd5 } from './json-manifest.ts';
import { entryNameOf } from './truth/package-paths.ts';
import type { FeedPlan, IpEvent, PlannedFile, PlannedPerson, PlannedReport } from './types.ts';

type XMLBuilder = ReturnType<typeof create>;

function text(parent: XMLBuilder, name: string, value: string | number | boolean): XMLBuilder {
  return parent.ele(name).txt(String(value)).up();
}

function ipCaptureEvent(parent: XMLBuilder, event: IpEvent): void {
  const element = parent.ele('ipCaptureEvent');
  text(element, 'ipAddress', event.ipAddress);
  text(element, 'eventName', event.eventName);
  text(element, 'dateTime', event.dateTime);
  text(element, 'possibleProxy', event.possibleProxy);
  text(element, 'port', event.port);
}

function personOrUserReported(parent: XMLBuilder, person: PlannedPerson): void {
  const element = parent.ele('personOrUserReported');
  if (person.emails.length > 0) {
    const details = element.ele('personOrUserReportedPerson');
    for (const email of person.emails) text(details, 'email', email);
  }
  text(element, 'espIdentifier', person.espIdentifier);
  text(element, 'espService', person.espService);
  text(element, 'screenName', person.screenName);
  for (const event of person.ipCaptureEvents) ipCaptureEvent(element, event);
  for (const device of person.deviceIds) {
    const deviceId = element.ele('deviceId');
    text(deviceId, 'idType', device.idType);
    text(deviceId, 'idValue', device.idValue);
  }
  for (const prior of person.priorCTReports) text(element, 'priorCTReports', prior);
  if (person.estimatedLocation !== null) {
    const location = element.ele('estimatedLocation');
    text(location, 'city', person.estimatedLocation.city);
    text(location, 'countryCode', person.estimatedLocation.countryCode);
  }
}

/** The `<report>` document. `informational` is left out: this XSD has no such annotation. */
export function reportXml(report: PlannedReport): string {
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele('report');
  if (report.batched) root.ele('batchedReport', { reason: 'VIRAL_POTENTIAL_MEME' }).up();
  const summary = root.ele('incidentSummary');
  text(summary, 'incidentType', report.incidentType);
  if (report.platform !== null) text(summary, 'platform', report.platform);
  if (report.escalateToHighPriority !== null)
    text(summary, 'escalateToHighPriority', report.escalateToHighPriority);
  const annotations = report.reportAnnotations.filter((flag) => flag !== 'informational');
  if (annotations.length > 0) {
    const element = summary.ele('reportAnnotations');
    for (const flag of annotations) element.ele(flag).up();
  }
  text(summary, 'incidentDateTime', report.incidentDateTime);
  if (report.webPageUrls.length > 0) {
    const webPage = root.ele('internetDetails').ele('webPageIncident');
    for (const url of report.webPageUrls) text(webPage, 'url', url);
  }
  const person = root.ele('reporter').ele('reportingPerson');
  text(person, 'firstName', report.reporter.contactFirstName);
  text(person, 'lastName', report.reporter.contactLastName);
  text(person, 'email', report.reporter.contactEmail);
  for (const reported of report.personsReported) personOrUserReported(root, reported);
  for (const recipient of report.intendedRecipients) {
    const element = root.ele('intendedRecipient');
    text(element.ele('intendedRecipientPerson'), 'age', recipient.age);
    text(element, 'screenName', recipient.screenName);
  }
  for (const victim of report.victims) text(root.ele('victim').ele('victimPerson'), 'age', victim.age);
  text(root, 'additionalInfo', report.additionalInfo);
  return `${root.end({ prettyPrint: true })}\n`;
}

/** One `<fileDetails>` document; `fileName` is the media entry's name in the package. */
export function fileDetailsXml(
  plan: FeedPlan,
  report: PlannedReport,
  file: PlannedFile,
  digests: ReadonlyMap<string, MediaDigest>,
): string {
  const digest = digests.get(file.mediaKey)!;
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele('fileDetails');
  text(root, 'reportId', report.partnerReportId);
  text(root, 'fileId', file.fileId);
  text(root, 'fileName', entryNameOf(plan, report, file));
  text(root, 'originalFileName', file.originalFileName ?? file.fileName);
  text(root, 'uploadedToEspTimestamp', file.uploadedToEspAt);
  text(root, 'locationOfFile', file.locationOfFile);
  text(root, 'fileViewedByEsp', file.fileViewedByEsp);
  text(root, 'exifViewedByEsp', file.exifViewedByEsp);
  text(root, 'publiclyAvailable', file.publiclyAvailable);
  text(root, 'fileRelevance', file.fileRelevance);
  if (file.fileAnnotations.length > 0) {
    const annotations = root.ele('fileAnnotations');
    for (const flag of file.fileAnnotations) annotations.ele(flag).up();
  }
  if (file.industryClassification !== null) text(root, 'industryClassification', file.industryClassification);
  root.ele('originalFileHash', { hashType: 'MD5' }).txt(partnerMd5(file, digest)).up();
  root.ele('originalFileHash', { hashType: 'SHA1' }).txt(digest.sha1).up();
  if (file.uploadIpEvent !== null) ipCaptureEvent(root, file.uploadIpEvent);
  if (file.details.length > 0) {
    const details = root.ele('details', { type: 'EXIF' });
    for (const detail of file.details) {
      const pair = details.ele('nameValuePair');
      text(pair, 'name', detail.name);
      text(pair, 'value', detail.value);
    }
  }
  return `${root.end({ prettyPrint: true })}\n`;
}
