import type {
  DeviceId,
  EstimatedLocation,
  IncidentType,
  InternetDetail,
  InternetDetailType,
  IpEventName,
  PersonReported,
  ReportParty,
} from '@triage/schemas';
import { incidentTypes } from '../ncmec-vocabulary.ts';
import type { ReportFields } from '../parsed-bundle.ts';
import { readCyberTiplineDocument } from './cybertipline-reader.ts';
import {
  attributeOf,
  booleanOf,
  childNamed,
  childrenNamed,
  numberOf,
  ownText,
  textOf,
  textsOf,
} from './element-values.ts';
import { toIpCaptureEvent } from './ip-capture-event.ts';
import type { XmlElement } from './xml-element.ts';

export interface ParsedReportDocument {
  fields: ReportFields;
}

/**
 * Subtrees of a `<report>` that are validated but never kept, because the Avro Report has no
 * field for them and most are personal data the triage pipeline must not carry
 * (docs/ncmec-xml.md lists these and the single elements the mapping ignores).
 */
const notKept = new Set([
  // The reporting company's staff and texts: NCMEC identifies the company by its account.
  'report/reporter',
  // Law-enforcement contact and legal-process facts about the submission.
  'report/lawEnforcement',
  // Message content quoted in incidents: evidence that stays with the partner.
  'report/internetDetails/emailIncident/content',
  'report/internetDetails/newsgroupIncident/content',
  'report/internetDetails/chatImIncident/content',
  'report/internetDetails/onlineGamingIncident/content',
  'report/internetDetails/nonInternetIncident/incidentAddress',
  // Postal addresses and birth dates.
  'report/personOrUserReported/personOrUserReportedPerson/address',
  'report/personOrUserReported/personOrUserReportedPerson/dateOfBirth',
  'report/personOrUserReported/associatedAccount',
  // Victims and recipients are kept minimal: age and linkable identifiers, no names or contact.
  ...['victim/victimPerson', 'intendedRecipient/intendedRecipientPerson'].flatMap((person) =>
    ['firstName', 'lastName', 'phone', 'address', 'dateOfBirth'].map((name) => `report/${person}/${name}`),
  ),
  'report/victim/associatedAccount',
  'report/victim/schoolName',
]);

const internetDetailTypes: Readonly<Record<string, InternetDetailType>> = {
  webPageIncident: 'webPage',
  emailIncident: 'email',
  newsgroupIncident: 'newsgroup',
  chatImIncident: 'chatIm',
  onlineGamingIncident: 'onlineGaming',
  cellPhoneIncident: 'cellPhone',
  nonInternetIncident: 'nonInternet',
  peer2peerIncident: 'peer2peer',
};

/**
 * Parses and validates a CyberTipline `<report>` document (NCMEC's XSD, drift policy in
 * drift-policy.ts) into the Avro Report fields. Errors are TriageErrors: TRIAGE_BUNDLE_ENCODING,
 * TRIAGE_BUNDLE_XML_FORBIDDEN, TRIAGE_BUNDLE_XML_MALFORMED, TRIAGE_BUNDLE_XML_SCHEMA,
 * TRIAGE_BUNDLE_ENUM_UNKNOWN, each with a pointer such as `report.xml#/report/victim[2]/age`.
 */
export function parseReportDocument(bytes: Buffer, documentName: string): ParsedReportDocument {
  const { root, driftNotes } = readCyberTiplineDocument(bytes, {
    documentName,
    root: 'report',
    dropped: notKept,
  });
  const summary = childNamed(root, 'incidentSummary')!;
  const incidentTypeText = textOf(summary, 'incidentType')!;
  const batched = childNamed(root, 'batchedReport');
  const annotations = childNamed(summary, 'reportAnnotations');
  return {
    fields: {
      incidentType: (incidentTypes as Record<string, IncidentType>)[incidentTypeText] ?? 'UNKNOWN',
      incidentTypeText,
      incidentDateTime: numberOf(summary, 'incidentDateTime'),
      incidentDateTimeDescription: textOf(summary, 'incidentDateTimeDescription'),
      platform: textOf(summary, 'platform'),
      escalateToHighPriority: textOf(summary, 'escalateToHighPriority'),
      // Flags in document order, including the newer ones kept under the drift policy.
      reportAnnotations: annotations === undefined ? [] : annotations.children.map((flag) => flag.name),
      batched: batched !== undefined,
      batchedReason: batched === undefined ? null : attributeOf(batched, 'reason', 'string'),
      // NCMEC sets these on its referrals to police; partners' XML reports have no such element.
      ncmecPriority: null,
      ncmecReferralLabel: null,
      // The XSD reporter is the reporting person and company texts, none of which is kept.
      reporter: null,
      personsReported: childrenNamed(root, 'personOrUserReported').map(toPersonReported),
      victims: childrenNamed(root, 'victim').map((victim) => toParty(victim, 'victimPerson')),
      intendedRecipients: childrenNamed(root, 'intendedRecipient').map((recipient) =>
        toParty(recipient, 'intendedRecipientPerson'),
      ),
      internetDetails: childrenNamed(root, 'internetDetails').map(toInternetDetail),
      additionalInfo: textOf(root, 'additionalInfo'),
      driftNotes: [...driftNotes],
    },
  };
}

const lowerCased = (values: string[]) => values.map((value) => value.toLowerCase());

/** A phone number as sent, prefixed with its countryCallingCode attribute when it has none. */
function phoneNumber(phone: XmlElement): string {
  const number = ownText(phone);
  const callingCode = attributeOf(phone, 'countryCallingCode', 'string');
  return callingCode === null || number === '' || number.startsWith('+')
    ? number
    : `${callingCode} ${number}`;
}

const phonesOf = (person: XmlElement | undefined): string[] =>
  person === undefined
    ? []
    : childrenNamed(person, 'phone')
        .map(phoneNumber)
        .filter((number) => number !== '');

function toEstimatedLocation(parent: XmlElement): EstimatedLocation | null {
  const location = childNamed(parent, 'estimatedLocation');
  if (location === undefined) return null;
  const countryCode = textOf(location, 'countryCode');
  return {
    // The XSD country list allows '' (unknown).
    countryCode: countryCode === '' ? null : countryCode,
    region: textOf(location, 'region'),
    city: textOf(location, 'city'),
    verified: attributeOf(location, 'verified', 'boolean'),
    estimatedAt: attributeOf(location, 'timestamp', 'number'),
  };
}

function toDeviceId(device: XmlElement): DeviceId {
  return {
    idType: textOf(device, 'idType')!,
    idValue: textOf(device, 'idValue')!,
    eventName: textOf(device, 'eventName') as IpEventName | null,
    dateTime: numberOf(device, 'dateTime'),
  };
}

function toPersonReported(element: XmlElement): PersonReported {
  const person = childNamed(element, 'personOrUserReportedPerson');
  return {
    firstName: person === undefined ? null : textOf(person, 'firstName'),
    lastName: person === undefined ? null : textOf(person, 'lastName'),
    age: person === undefined ? null : numberOf(person, 'age'),
    emails: person === undefined ? [] : lowerCased(textsOf(person, 'email')),
    phones: phonesOf(person),
    screenName: textOf(element, 'screenName'),
    displayNames: textsOf(element, 'displayName'),
    espIdentifier: textOf(element, 'espIdentifier'),
    espService: textOf(element, 'espService'),
    profileUrls: textsOf(element, 'profileUrl'),
    ipCaptureEvents: childrenNamed(element, 'ipCaptureEvent').map(toIpCaptureEvent),
    deviceIds: childrenNamed(element, 'deviceId').map(toDeviceId),
    priorCTReports: textsOf(element, 'priorCTReports'),
    estimatedLocation: toEstimatedLocation(element),
    compromisedAccount: booleanOf(element, 'compromisedAccount'),
    groupIdentifier: textOf(element, 'groupIdentifier'),
    additionalInfo: textOf(element, 'additionalInfo'),
  };
}

function toParty(element: XmlElement, personElement: string): ReportParty {
  const person = childNamed(element, personElement);
  return {
    age: person === undefined ? null : numberOf(person, 'age'),
    // The XSD person has a stated age only.
    approximateAge: null,
    screenName: textOf(element, 'screenName'),
    espIdentifier: textOf(element, 'espIdentifier'),
    espService: textOf(element, 'espService'),
    emails: person === undefined ? [] : lowerCased(textsOf(person, 'email')),
    profileUrls: textsOf(element, 'profileUrl'),
    estimatedLocation: toEstimatedLocation(element),
  };
}

function toInternetDetail(details: XmlElement): InternetDetail {
  // internetDetails is an XSD choice: exactly one incident element.
  const incident = details.children[0]!;
  const has = (kind: string) => incident.name === kind;
  const phone = childNamed(incident, 'phoneNumber');
  return {
    type: internetDetailTypes[incident.name] ?? 'unknown',
    urls: textsOf(incident, 'url'),
    emails: lowerCased(textsOf(incident, 'emailAddress')),
    thirdPartyHostedContent: attributeOf(incident, 'thirdPartyHostedContent', 'boolean'),
    chatClient: textOf(incident, 'chatClient'),
    chatRoomName: textOf(incident, 'chatRoomName'),
    gameName: textOf(incident, 'gameName'),
    console: textOf(incident, 'console'),
    newsgroupName: has('newsgroupIncident') ? textOf(incident, 'name') : null,
    phoneNumber: phone === undefined ? null : phoneNumber(phone),
    peer2peerClient: has('peer2peerIncident') ? textOf(incident, 'client') : null,
    fileNames: textOf(incident, 'fileNames'),
    ipCaptureEvents: childrenNamed(incident, 'ipCaptureEvent').map(toIpCaptureEvent),
    additionalInfo: textOf(incident, 'additionalInfo'),
  };
}
