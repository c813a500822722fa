import { TriageError } from '@triage/errors';
import type {
  EstimatedLocation,
  InternetDetail,
  IpCaptureEvent,
  PersonReported,
  ReportParty,
} from '@triage/schemas';
import type { z } from 'zod';
import { fileRelevances, incidentTypes } from '../ncmec-vocabulary.ts';
import type { FileFields, ParsedFile, ParsedManifest, ParsedReport, ReportFields } from '../parsed-bundle.ts';
import { decodeUtf8Document } from '../xml/utf8.ts';
import {
  type JsonEstimatedLocation,
  type JsonFile,
  type JsonInternetDetail,
  type JsonIpCaptureEvent,
  type JsonManifest,
  type JsonParty,
  type JsonPerson,
  type JsonReport,
  jsonManifestSchema,
} from './json-manifest-schema.ts';
import { jsonPointer } from './json-pointer.ts';

/**
 * Parses and validates a project JSON manifest. Errors: TRIAGE_BUNDLE_ENCODING (not UTF-8, pointer
 * `bundle.json#byte=<offset>`),
 * TRIAGE_BUNDLE_JSON_MALFORMED, TRIAGE_BUNDLE_ENUM_UNKNOWN (a value outside an NCMEC list) and
 * TRIAGE_BUNDLE_JSON_SCHEMA (anything else), each with the JSON pointer of the offending value.
 */
export function parseJsonManifest(bytes: Buffer, documentName: string): ParsedManifest {
  const text = decodeUtf8Document(bytes, documentName);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new TriageError('TRIAGE_BUNDLE_JSON_MALFORMED', `${documentName}: ${(error as Error).message}`, {
      pointer: '',
      details: { document: documentName },
    });
  }
  const result = jsonManifestSchema.safeParse(value);
  if (!result.success) throw schemaError(result.error.issues[0]!, documentName);
  return toParsedManifest(result.data);
}

function schemaError(issue: z.core.$ZodIssue, documentName: string): TriageError {
  const path = issue.path.map((segment) => (typeof segment === 'symbol' ? String(segment) : segment));
  if (issue.code === 'unrecognized_keys') {
    const pointer = jsonPointer([...path, issue.keys[0]!]);
    return new TriageError(
      'TRIAGE_BUNDLE_JSON_SCHEMA',
      `${documentName}: unknown key "${issue.keys[0]}" at ${jsonPointer(path) || '/'}`,
      { pointer, details: { document: documentName } },
    );
  }
  const pointer = jsonPointer(path);
  const code = issue.code === 'invalid_value' ? 'TRIAGE_BUNDLE_ENUM_UNKNOWN' : 'TRIAGE_BUNDLE_JSON_SCHEMA';
  return new TriageError(code, `${documentName}: ${pointer || '/'}: ${issue.message}`, {
    pointer,
    details: { document: documentName },
  });
}

function toParsedManifest(manifest: JsonManifest): ParsedManifest {
  return {
    format: 'json',
    partnerBundleRef: manifest.bundleRef,
    reports: manifest.reports.map(toParsedReport),
  };
}

const time = (iso: string | undefined): number | null => (iso === undefined ? null : Date.parse(iso));

function toParsedReport(report: JsonReport, index: number): ParsedReport {
  const pointer = `/reports/${index}`;
  const fields: ReportFields = {
    incidentType: incidentTypes[report.incidentType],
    incidentTypeText: report.incidentType,
    incidentDateTime: time(report.incidentDateTime),
    incidentDateTimeDescription: report.incidentDateTimeDescription ?? null,
    platform: report.platform ?? null,
    escalateToHighPriority: report.escalateToHighPriority ?? null,
    reportAnnotations: report.reportAnnotations ?? [],
    batched: report.batched !== undefined,
    batchedReason: report.batched?.reason ?? null,
    ncmecPriority: report.ncmecPriority ?? null,
    ncmecReferralLabel: report.ncmecReferralLabel ?? null,
    reporter:
      report.reporter === undefined
        ? null
        : {
            companyName: report.reporter.companyName ?? null,
            espService: report.reporter.espService ?? null,
          },
    personsReported: (report.personsReported ?? []).map(toPerson),
    victims: (report.victims ?? []).map(toParty),
    intendedRecipients: (report.intendedRecipients ?? []).map(toParty),
    internetDetails: (report.internetDetails ?? []).map(toInternetDetail),
    additionalInfo: report.additionalInfo ?? null,
    // The JSON format is strict: nothing unknown is kept, so nothing drifts.
    driftNotes: [],
  };
  return {
    partnerReportId: report.reportId,
    pointer,
    fields,
    files: (report.files ?? []).map((file, fileIndex) => toParsedFile(file, `${pointer}/files/${fileIndex}`)),
  };
}

function toParsedFile(file: JsonFile, pointer: string): ParsedFile {
  const fields: FileFields = {
    fileId: file.fileId,
    fileName: file.fileName ?? null,
    originalFileName: file.originalFileName ?? null,
    locationOfFile: file.locationOfFile ?? null,
    uploadedToEspAt: time(file.uploadedToEspAt),
    fileViewedByEsp: file.fileViewedByEsp ?? null,
    exifViewedByEsp: file.exifViewedByEsp ?? null,
    publiclyAvailable: file.publiclyAvailable ?? null,
    fileRelevance: file.fileRelevance === undefined ? null : fileRelevances[file.fileRelevance],
    fileAnnotations: file.fileAnnotations ?? [],
    industryClassification: file.industryClassification ?? null,
    partnerHashes: (file.hashes ?? []).map((hash) => ({
      hashType: hash.type.toUpperCase(),
      value: /^[0-9a-fA-F]+$/.test(hash.value) ? hash.value.toLowerCase() : hash.value,
    })),
    uploadIpEvent: file.uploadIpEvent === undefined ? null : toIpEvent(file.uploadIpEvent),
    details: (file.details ?? []).map((detail) => ({
      type: detail.type,
      name: detail.name,
      value: detail.value,
    })),
    additionalInfo: file.additionalInfo ?? null,
  };
  return { entryName: file.name, pointer, fields };
}

function toIpEvent(event: JsonIpCaptureEvent): IpCaptureEvent {
  return {
    ipAddress: event.ipAddress.trim(),
    eventName: event.eventName ?? null,
    dateTime: time(event.dateTime),
    possibleProxy: event.possibleProxy ?? null,
    port: event.port ?? null,
  };
}

function toLocation(location: JsonEstimatedLocation | undefined): EstimatedLocation | null {
  if (location === undefined) return null;
  return {
    countryCode: location.countryCode ?? null,
    region: location.region ?? null,
    city: location.city ?? null,
    verified: location.verified ?? null,
    estimatedAt: time(location.estimatedAt),
  };
}

const lowerCase = (emails: string[] | undefined): string[] =>
  (emails ?? []).map((email) => email.toLowerCase());

function toPerson(person: JsonPerson): PersonReported {
  return {
    firstName: person.firstName ?? null,
    lastName: person.lastName ?? null,
    age: person.age ?? null,
    emails: lowerCase(person.emails),
    phones: person.phones ?? [],
    screenName: person.screenName ?? null,
    displayNames: person.displayNames ?? [],
    espIdentifier: person.espIdentifier ?? null,
    espService: person.espService ?? null,
    profileUrls: person.profileUrls ?? [],
    ipCaptureEvents: (person.ipCaptureEvents ?? []).map(toIpEvent),
    deviceIds: (person.deviceIds ?? []).map((device) => ({
      idType: device.idType,
      idValue: device.idValue,
      eventName: device.eventName ?? null,
      dateTime: time(device.dateTime),
    })),
    priorCTReports: person.priorCTReports ?? [],
    estimatedLocation: toLocation(person.estimatedLocation),
    compromisedAccount: person.compromisedAccount ?? null,
    groupIdentifier: person.groupIdentifier ?? null,
    additionalInfo: person.additionalInfo ?? null,
  };
}

function toParty(party: JsonParty): ReportParty {
  return {
    age: party.age ?? null,
    approximateAge: party.approximateAge ?? null,
    screenName: party.screenName ?? null,
    espIdentifier: party.espIdentifier ?? null,
    espService: party.espService ?? null,
    emails: lowerCase(party.emails),
    profileUrls: party.profileUrls ?? [],
    estimatedLocation: toLocation(party.estimatedLocation),
  };
}

function toInternetDetail(detail: JsonInternetDetail): InternetDetail {
  return {
    type: detail.type,
    urls: detail.urls ?? [],
    emails: lowerCase(detail.emails),
    thirdPartyHostedContent: detail.thirdPartyHostedContent ?? null,
    chatClient: detail.chatClient ?? null,
    chatRoomName: detail.chatRoomName ?? null,
    gameName: detail.gameName ?? null,
    console: detail.console ?? null,
    newsgroupName: detail.newsgroupName ?? null,
    phoneNumber: detail.phoneNumber ?? null,
    peer2peerClient: detail.peer2peerClient ?? null,
    fileNames: detail.fileNames ?? null,
    ipCaptureEvents: (detail.ipCaptureEvents ?? []).map(toIpEvent),
    additionalInfo: detail.additionalInfo ?? null,
  };
}
