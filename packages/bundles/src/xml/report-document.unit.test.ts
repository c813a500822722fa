import { TriageError } from '@triage/errors';
import type { InternetDetail, PersonReported, ReportParty } from '@triage/schemas';
import { describe, expect, it } from 'vitest';
import { parseReportDocument } from './report-document.ts';
import { readNcmecFile, richReport } from './testing/cybertipline-samples.ts';

const ms = (iso: string) => Date.parse(iso);

const noInternetDetail: InternetDetail = {
  type: 'unknown',
  urls: [],
  emails: [],
  thirdPartyHostedContent: null,
  chatClient: null,
  chatRoomName: null,
  gameName: null,
  console: null,
  newsgroupName: null,
  phoneNumber: null,
  peer2peerClient: null,
  fileNames: null,
  ipCaptureEvents: [],
  additionalInfo: null,
};

const noPerson: PersonReported = {
  firstName: null,
  lastName: null,
  age: null,
  emails: [],
  phones: [],
  screenName: null,
  displayNames: [],
  espIdentifier: null,
  espService: null,
  profileUrls: [],
  ipCaptureEvents: [],
  deviceIds: [],
  priorCTReports: [],
  estimatedLocation: null,
  compromisedAccount: null,
  groupIdentifier: null,
  additionalInfo: null,
};

const noParty: ReportParty = {
  age: null,
  approximateAge: null,
  screenName: null,
  espIdentifier: null,
  espService: null,
  emails: [],
  profileUrls: [],
  estimatedLocation: null,
};

describe('parseReportDocument', () => {
  it("Given NCMEC's §6.1 example report, when parsed, then it yields exactly the normalised fields", () => {
    const parsed = parseReportDocument(readNcmecFile('ncmec-doc-6.1-report.xml'), 'report.xml');

    expect(parsed).toEqual({
      fields: {
        incidentType: 'CHILD_PORNOGRAPHY',
        incidentTypeText: 'Child Pornography (possession, manufacture, and distribution)',
        // 2012-10-15T08:00:00-07:00
        incidentDateTime: ms('2012-10-15T15:00:00Z'),
        incidentDateTimeDescription: null,
        platform: null,
        escalateToHighPriority: null,
        reportAnnotations: [
          'sextortion',
          'csamSolicitation',
          'minorToMinorInteraction',
          'spam',
          'sadisticOnlineExploitation',
        ],
        batched: false,
        batchedReason: null,
        ncmecPriority: null,
        ncmecReferralLabel: null,
        reporter: null,
        personsReported: [],
        victims: [],
        intendedRecipients: [],
        internetDetails: [{ ...noInternetDetail, type: 'webPage', urls: ['http://badsite.com/baduri.html'] }],
        additionalInfo: null,
        driftNotes: [],
      },
    });
  });

  it('Given an invented report using most of the XSD, when parsed, then every mapped element lands in its Avro field', () => {
    const { fields } = parseReportDocument(Buffer.from(richReport), 'report.xml');

    expect(fields).toEqual({
      incidentType: 'ONLINE_ENTICEMENT',
      incidentTypeText: 'Online Enticement of Children for Sexual Acts',
      incidentDateTime: ms('2026-11-20T20:14:00.250Z'),
      incidentDateTimeDescription: 'Evening, local time',
      platform: 'Example Social Photos',
      escalateToHighPriority: 'Ongoing contact with a child, see chat',
      reportAnnotations: ['sextortion', 'minorToMinorInteraction'],
      batched: true,
      batchedReason: 'VIRAL_POTENTIAL_MEME',
      ncmecPriority: null,
      ncmecReferralLabel: null,
      reporter: null,
      personsReported: [
        {
          firstName: 'Sam',
          lastName: 'Suspect',
          age: 34,
          emails: ['sam.suspect@example.com', 'sam2@example.com'],
          phones: ['+31 687654321'],
          screenName: 'sam_the_example',
          displayNames: ['Sam E.', 'S.'],
          espIdentifier: 'user-1001',
          espService: 'Photos',
          profileUrls: ['https://social.example/u/1001'],
          ipCaptureEvents: [
            {
              ipAddress: '203.0.113.7',
              eventName: 'Login',
              dateTime: ms('2026-11-20T21:00:00Z'),
              possibleProxy: false,
              port: 51234,
            },
            {
              ipAddress: '198.51.100.23',
              eventName: 'Registration',
              // No offset: read as UTC.
              dateTime: ms('2026-01-02T03:04:05Z'),
              possibleProxy: true,
              port: null,
            },
          ],
          deviceIds: [
            {
              idType: 'IDFA',
              idValue: '00000000-0000-4000-8000-000000000001',
              eventName: 'Login',
              dateTime: ms('2026-11-20T21:00:00Z'),
            },
          ],
          priorCTReports: ['99001', '99002'],
          estimatedLocation: {
            countryCode: 'NL',
            region: 'UT',
            city: 'Utrecht',
            verified: false,
            estimatedAt: ms('2026-11-20T22:00:00Z'),
          },
          compromisedAccount: false,
          groupIdentifier: 'group-7',
          additionalInfo: 'Account created two days before',
        },
        {
          ...noPerson,
          screenName: 'second_user',
          estimatedLocation: {
            countryCode: 'A1',
            region: null,
            city: null,
            verified: null,
            estimatedAt: null,
          },
        },
      ],
      victims: [
        {
          ...noParty,
          age: 13,
          espIdentifier: 'user-2002',
          profileUrls: ['https://social.example/u/2002'],
          estimatedLocation: {
            countryCode: null,
            region: null,
            city: null,
            verified: null,
            estimatedAt: null,
          },
        },
        noParty,
      ],
      intendedRecipients: [
        { ...noParty, age: 14, screenName: 'recipient_14', emails: ['recipient@example.org'] },
      ],
      internetDetails: [
        {
          ...noInternetDetail,
          type: 'webPage',
          urls: ['https://host.example/page/1', 'https://host.example/page/2'],
          thirdPartyHostedContent: true,
          additionalInfo: 'Two pages of one album',
        },
        { ...noInternetDetail, type: 'email', emails: ['sender@example.com'] },
        { ...noInternetDetail, type: 'chatIm', chatClient: 'Example Chat', chatRoomName: 'room-42' },
        {
          ...noInternetDetail,
          type: 'peer2peer',
          peer2peerClient: 'ExampleShare',
          fileNames: 'a.bin, b.bin',
          ipCaptureEvents: [
            { ipAddress: '2001:db8::7', eventName: 'Other', dateTime: null, possibleProxy: null, port: null },
          ],
        },
        { ...noInternetDetail, type: 'cellPhone', phoneNumber: '+31 612345678' },
      ],
      additionalInfo: 'Invented report for tests.',
      driftNotes: [],
    });
  });

  it('Given a report with the reporting person, law enforcement, victim names and message content, when parsed, then none of it is kept', () => {
    const serialised = JSON.stringify(parseReportDocument(Buffer.from(richReport), 'report.xml'));

    for (const dropped of [
      'Rita',
      'rita.reporter@example.org',
      'legal@example.org',
      'Example Police',
      'EX-0001',
      'Message text that is never kept',
      'Kept',
      'Never Kept School',
      'Never',
      '1992-01-01',
      'Utrecht","country',
    ]) {
      expect(serialised).not.toContain(dropped);
    }
  });

  it('Given a report with the newer <informational/> annotation, when parsed, then it is kept as an annotation with a newer_element drift note', () => {
    const xml = readNcmecFile('ncmec-doc-6.1-report.xml')
      .toString()
      .replace('<spam />', '<informational/><spam />');

    const { fields } = parseReportDocument(Buffer.from(xml), 'report.xml');

    expect(fields.reportAnnotations).toEqual([
      'sextortion',
      'csamSolicitation',
      'minorToMinorInteraction',
      'informational',
      'spam',
      'sadisticOnlineExploitation',
    ]);
    expect(fields.driftNotes).toEqual([
      {
        path: 'report.xml#/report/incidentSummary/reportAnnotations/informational',
        kind: 'newer_element',
        value: null,
      },
    ]);
  });

  it('Given a report with an unknown flag holding true in reportAnnotations, when parsed, then it is kept with an unknown_element note carrying the text', () => {
    const xml = readNcmecFile('ncmec-doc-6.1-report.xml')
      .toString()
      .replace('<spam />', '<spam /><futureFlag>true</futureFlag>');

    const { fields } = parseReportDocument(Buffer.from(xml), 'report.xml');

    expect(fields.reportAnnotations).toContain('futureFlag');
    expect(fields.driftNotes).toEqual([
      {
        path: 'report.xml#/report/incidentSummary/reportAnnotations/futureFlag',
        kind: 'unknown_element',
        value: 'true',
      },
    ]);
  });

  it('Given the invented-schema negative fixture (newline before the XML declaration), when parsed, then it is rejected as malformed at line 2', () => {
    const parse = () =>
      parseReportDocument(readNcmecFile('cybertip-triage-invented-schema.negative.xml'), 'negative.xml');

    expect(parse).toThrow(TriageError);
    expect(parse).toThrow(
      expect.objectContaining({
        code: 'TRIAGE_BUNDLE_XML_MALFORMED',
        pointer: 'negative.xml:2:6',
        message: expect.stringContaining('XML declaration must be at the start of the document'),
      }),
    );
  });
});
