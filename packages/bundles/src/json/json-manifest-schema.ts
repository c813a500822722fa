import { z } from 'zod';
import { MAX_TEXT_LENGTH } from '../limits.ts';
import {
  fileRelevances,
  incidentTypeTexts,
  industryClassifications,
  internetDetailTypes,
  ipEventNames,
} from '../ncmec-vocabulary.ts';

/**
 * The project's JSON manifest (`bundle.json`). Field names are the Avro Report/ReportFile names;
 * timestamps are ISO 8601 strings with a zone; NCMEC enums use the XSD's texts. Every object is
 * strict: an unknown key is an error with its JSON pointer, never silently dropped.
 */

const text = () => z.string().min(1).max(MAX_TEXT_LENGTH);
const id = () => z.string().min(1).max(256);
const timestamp = () =>
  z.iso
    .datetime({ offset: true })
    .describe('ISO 8601 date-time with `Z` or an offset, e.g. `2026-11-20T21:14:00Z`');
const flags = () =>
  z.array(
    z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_]*$/)
      .max(128),
  );

/** A relative entry path with `/` separators: what a ZIP entry or multipart filename may be. */
const entryName = () =>
  z
    .string()
    .min(1)
    .max(1024)
    .refine((name) => !name.startsWith('/') && !name.includes('\\') && !name.split('/').includes('..'), {
      message: 'must be a relative path with / separators and no .. segment',
    });

const ipCaptureEventSchema = z
  .strictObject({
    ipAddress: z.string().min(1).max(64).describe('IPv4 or IPv6 address as captured'),
    eventName: z.enum(ipEventNames).optional().describe('The event at which the address was captured'),
    dateTime: timestamp().optional().describe('When the event happened'),
    possibleProxy: z.boolean().optional().describe('The reporter flagged the address as a possible proxy'),
    port: z.number().int().min(0).max(65_535).optional().describe('Source port (needed for CGNAT addresses)'),
  })
  .describe('An IP address captured at an event');

const estimatedLocationSchema = z
  .strictObject({
    countryCode: z
      .string()
      .min(1)
      .max(8)
      .optional()
      .describe('ISO 3166-1 alpha-2 (or an NCMEC pseudo-code such as A1)'),
    region: text().optional().describe('Region or state'),
    city: text().optional().describe('City'),
    verified: z.boolean().optional().describe('The reporter says the location is verified'),
    estimatedAt: timestamp().optional().describe('When the estimate was made'),
  })
  .describe("The reporter's estimate of where the person is");

const deviceIdSchema = z
  .strictObject({
    idType: text().describe('Identifier kind, e.g. IMEI, IDFA'),
    idValue: text().describe('The identifier'),
    eventName: z.enum(ipEventNames).optional().describe('Event at which it was captured'),
    dateTime: timestamp().optional().describe('When it was captured'),
  })
  .describe('A device identifier');

const personReportedSchema = z
  .strictObject({
    firstName: text().optional().describe('First name'),
    lastName: text().optional().describe('Last name'),
    age: z.number().int().min(0).max(150).optional().describe('Stated age in years'),
    emails: z.array(text()).optional().describe('E-mail addresses (lower-cased on intake)'),
    phones: z.array(text()).optional().describe('Phone numbers'),
    screenName: text().optional().describe('Screen name on the service'),
    displayNames: z.array(text()).optional().describe('Display names'),
    espIdentifier: text().optional().describe("The reporter's user id"),
    espService: text().optional().describe('Service the account belongs to'),
    profileUrls: z.array(text()).optional().describe('Profile URLs'),
    ipCaptureEvents: z
      .array(ipCaptureEventSchema)
      .optional()
      .describe('IP addresses captured for this person'),
    deviceIds: z.array(deviceIdSchema).optional().describe('Device identifiers'),
    priorCTReports: z.array(id()).optional().describe('Earlier CyberTipline report ids about this person'),
    estimatedLocation: estimatedLocationSchema.optional(),
    compromisedAccount: z.boolean().optional().describe('The reporter believes the account was compromised'),
    groupIdentifier: text().optional().describe('Group or community identifier'),
    additionalInfo: text().optional().describe('Free text about this person'),
  })
  .describe('A reported person or user (NCMEC personOrUserReported)');

const reportPartySchema = z
  .strictObject({
    age: z.number().int().min(0).max(150).optional().describe('Stated age in years'),
    approximateAge: z
      .number()
      .int()
      .min(0)
      .max(150)
      .optional()
      .describe('Estimated age when no stated age is known'),
    screenName: text().optional().describe('Screen name'),
    espIdentifier: text().optional().describe("The reporter's user id"),
    espService: text().optional().describe('Service the account belongs to'),
    emails: z.array(text()).optional().describe('E-mail addresses (lower-cased on intake)'),
    profileUrls: z.array(text()).optional().describe('Profile URLs'),
    estimatedLocation: estimatedLocationSchema.optional(),
  })
  .describe('A victim or intended recipient (kept minimal)');

const internetDetailSchema = z
  .strictObject({
    type: z.enum(internetDetailTypes).describe('The NCMEC incident element this entry stands for'),
    urls: z.array(text()).optional().describe('URLs (webPage); each becomes an item of kind url'),
    emails: z.array(text()).optional().describe('E-mail addresses (email, newsgroup)'),
    thirdPartyHostedContent: z.boolean().optional().describe('webPage: content hosted by a third party'),
    chatClient: text().optional().describe('chatIm: client'),
    chatRoomName: text().optional().describe('chatIm: room name'),
    gameName: text().optional().describe('onlineGaming: game'),
    console: text().optional().describe('onlineGaming: console'),
    newsgroupName: text().optional().describe('newsgroup: name'),
    phoneNumber: text().optional().describe('cellPhone: number'),
    peer2peerClient: text().optional().describe('peer2peer: client'),
    fileNames: text().optional().describe('peer2peer: file names'),
    ipCaptureEvents: z.array(ipCaptureEventSchema).optional().describe('peer2peer: IP capture events'),
    additionalInfo: text().optional().describe('Free text of the entry'),
  })
  .describe('Where the incident happened online (NCMEC internetDetails)');

const partnerHashSchema = z
  .strictObject({
    type: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,32}$/)
      .describe(
        'MD5, SHA1, SHA256 (checked against the bytes), or any other type (PDQ, PHOTODNA...: kept unchecked)',
      ),
    value: z.string().min(1).max(4096).describe('The hash as the partner computed it'),
  })
  .describe('A hash the partner supplied (NCMEC originalFileHash)');

const fileDetailSchema = z
  .strictObject({
    type: z.enum(['EXIF', 'HASH']).describe('Kind of pair'),
    name: text().describe('Name, e.g. Model'),
    value: z.string().max(MAX_TEXT_LENGTH).describe('Value as sent'),
  })
  .describe('A name-value pair of file metadata');

const fileSchema = z
  .strictObject({
    fileId: id().describe("The partner's file id, unique within the report"),
    name: entryName().describe(
      'The media entry holding the bytes: a path in the ZIP or directory, or the filename of a multipart file part',
    ),
    fileName: text().optional().describe('File name as uploaded to the partner'),
    originalFileName: text().optional().describe("The file's name on the user's side"),
    locationOfFile: text().optional().describe('URL where the file was found'),
    uploadedToEspAt: timestamp().optional().describe('When the file was uploaded to the service'),
    fileViewedByEsp: z
      .boolean()
      .optional()
      .describe('The reporter viewed the file (an access gate downstream)'),
    exifViewedByEsp: z.boolean().optional().describe('The reporter viewed the EXIF data'),
    publiclyAvailable: z.boolean().optional().describe('The file was publicly available'),
    fileRelevance: z
      .enum(Object.keys(fileRelevances) as [keyof typeof fileRelevances])
      .optional()
      .describe('Whether the file is what was reported or supplements it'),
    fileAnnotations: flags()
      .optional()
      .describe('NCMEC fileAnnotations flag names, e.g. possibleSelfProduction'),
    industryClassification: z
      .enum(industryClassifications)
      .optional()
      .describe(
        'ESP industry classification: A/B apparent age group (prepubescent/pubescent), 1/2 sex act/lascivious exhibition',
      ),
    hashes: z.array(partnerHashSchema).optional().describe('Hashes the partner supplied'),
    uploadIpEvent: ipCaptureEventSchema.optional().describe('The IP event of the upload'),
    details: z.array(fileDetailSchema).optional().describe('EXIF and HASH name-value pairs'),
    additionalInfo: text().optional().describe('Free text about the file'),
  })
  .describe('One file of the report and the entry that holds its bytes');

const reportSchema = z
  .strictObject({
    reportId: id().describe("The partner's report id, unique in the bundle; a known id is a revision"),
    incidentType: z.enum(incidentTypeTexts).describe("One of NCMEC's eight incidentType texts"),
    incidentDateTime: timestamp().optional().describe('When the incident happened'),
    incidentDateTimeDescription: text().optional().describe('Free-text description of the incident time'),
    platform: text().optional().describe('Platform where the incident happened'),
    escalateToHighPriority: text().optional().describe("The reporter's escalation text"),
    reportAnnotations: flags()
      .optional()
      .describe('NCMEC reportAnnotations flag names, e.g. sextortion, informational'),
    batched: z
      .strictObject({
        reason: text()
          .optional()
          .describe('batchedReport reason as NCMEC sends it, e.g. VIRAL_POTENTIAL_MEME'),
      })
      .optional()
      .describe('Present for a batched report (NCMEC batchedReport)'),
    ncmecPriority: z
      .number()
      .int()
      .optional()
      .describe('NCMEC priority level, when the report came from NCMEC'),
    ncmecReferralLabel: text().optional().describe("NCMEC's referral label, e.g. actionable"),
    reporter: z
      .strictObject({
        companyName: text().optional().describe('Company or ESP name'),
        espService: text().optional().describe('The service the report concerns'),
      })
      .optional()
      .describe('The reporting company'),
    personsReported: z.array(personReportedSchema).optional().describe('Reported persons or users'),
    victims: z.array(reportPartySchema).optional().describe('Child victims'),
    intendedRecipients: z.array(reportPartySchema).optional().describe('Intended recipients'),
    internetDetails: z.array(internetDetailSchema).optional().describe('Where the incident happened online'),
    additionalInfo: text().optional().describe('Report-level free text'),
    files: z.array(fileSchema).optional().describe('The files of the report'),
  })
  .describe('One report');

export const jsonManifestSchema = z
  .strictObject({
    bundleRef: id().describe("The partner's bundle reference: the idempotency key of the bundle"),
    reports: z.array(reportSchema).min(1).describe('The reports of the bundle'),
  })
  .describe('Project JSON manifest (bundle.json)');

export type JsonManifest = z.output<typeof jsonManifestSchema>;
export type JsonReport = JsonManifest['reports'][number];
export type JsonFile = NonNullable<JsonReport['files']>[number];
export type JsonIpCaptureEvent = z.output<typeof ipCaptureEventSchema>;
export type JsonEstimatedLocation = z.output<typeof estimatedLocationSchema>;
export type JsonPerson = z.output<typeof personReportedSchema>;
export type JsonParty = z.output<typeof reportPartySchema>;
export type JsonInternetDetail = z.output<typeof internetDetailSchema>;

/** JSON Schema (draft 2020-12) of the manifest, for the OpenAPI document and the docs. */
export const jsonManifestJsonSchema: object = z.toJSONSchema(jsonManifestSchema, { io: 'input' });
