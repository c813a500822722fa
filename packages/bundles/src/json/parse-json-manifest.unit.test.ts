import { describe, expect, it } from 'vitest';
import { errorOf } from '../testing/error-of.ts';
import { parseJsonManifest } from './parse-json-manifest.ts';

/** The manifest example of docs/bundle-format.md (invented data). */
function exampleManifest(): Record<string, unknown> {
  return {
    bundleRef: 'hotline-nl-2026-11-28-0001',
    reports: [
      {
        reportId: '100234',
        incidentType: 'Online Enticement of Children for Sexual Acts',
        incidentDateTime: '2026-11-20T21:14:00Z',
        escalateToHighPriority: 'Child believed in imminent danger',
        reportAnnotations: ['sextortion', 'informational'],
        batched: { reason: 'VIRAL_POTENTIAL_MEME' },
        reporter: { companyName: 'Example Social', espService: 'Photos' },
        personsReported: [
          {
            screenName: 'suspect-one',
            emails: ['Suspect.One@Example.com'],
            ipCaptureEvents: [
              {
                ipAddress: ' 203.0.113.7 ',
                eventName: 'Login',
                dateTime: '2026-11-20T21:00:00+01:00',
                possibleProxy: false,
                port: 51234,
              },
            ],
            deviceIds: [{ idType: 'IDFA', idValue: '00000000-0000-4000-8000-000000000001' }],
            priorCTReports: ['99001'],
            estimatedLocation: { countryCode: 'NL', city: 'Utrecht' },
          },
        ],
        victims: [{ age: 13 }],
        internetDetails: [{ type: 'webPage', urls: ['https://host.example/page'] }],
        files: [
          {
            fileId: 'f-1',
            name: 'media/f-1.jpg',
            fileName: 'IMG_0001.jpg',
            uploadedToEspAt: '2026-11-20T21:05:00Z',
            fileViewedByEsp: true,
            fileRelevance: 'Supplemental Reported',
            fileAnnotations: ['possibleSelfProduction'],
            industryClassification: 'B2',
            hashes: [
              { type: 'md5', value: 'D41D8CD98F00B204E9800998ECF8427E' },
              { type: 'PDQ', value: 'f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22' },
            ],
            details: [{ type: 'EXIF', name: 'Model', value: 'Example Cam' }],
          },
        ],
      },
    ],
  };
}

const bytesOf = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('parseJsonManifest', () => {
  it('Given the documented example, When parsed, Then it yields one report with normalised Avro fields', () => {
    const manifest = parseJsonManifest(bytesOf(exampleManifest()), 'bundle.json');
    expect(manifest.format).toBe('json');
    expect(manifest.partnerBundleRef).toBe('hotline-nl-2026-11-28-0001');
    expect(manifest.reports).toHaveLength(1);
    const [report] = manifest.reports;
    expect(report!.partnerReportId).toBe('100234');
    expect(report!.pointer).toBe('/reports/0');
    expect(report!.fields).toMatchObject({
      incidentType: 'ONLINE_ENTICEMENT',
      incidentTypeText: 'Online Enticement of Children for Sexual Acts',
      incidentDateTime: Date.UTC(2026, 10, 20, 21, 14),
      batched: true,
      batchedReason: 'VIRAL_POTENTIAL_MEME',
      reportAnnotations: ['sextortion', 'informational'],
      reporter: { companyName: 'Example Social', espService: 'Photos' },
      platform: null,
      intendedRecipients: [],
      driftNotes: [],
    });
    const person = report!.fields.personsReported[0]!;
    expect(person.emails).toEqual(['suspect.one@example.com']);
    expect(person.ipCaptureEvents[0]).toEqual({
      ipAddress: '203.0.113.7',
      eventName: 'Login',
      dateTime: Date.UTC(2026, 10, 20, 20, 0),
      possibleProxy: false,
      port: 51234,
    });
    expect(person.estimatedLocation).toEqual({
      countryCode: 'NL',
      region: null,
      city: 'Utrecht',
      verified: null,
      estimatedAt: null,
    });
    expect(report!.fields.victims[0]).toMatchObject({ age: 13, approximateAge: null, emails: [] });
    expect(report!.fields.internetDetails[0]).toMatchObject({
      type: 'webPage',
      urls: ['https://host.example/page'],
    });
  });

  it('Given a file, When parsed, Then its entry name, pointer and normalised fields are kept', () => {
    const [file] = parseJsonManifest(bytesOf(exampleManifest()), 'bundle.json').reports[0]!.files;
    expect(file!.entryName).toBe('media/f-1.jpg');
    expect(file!.pointer).toBe('/reports/0/files/0');
    expect(file!.fields).toMatchObject({
      fileId: 'f-1',
      fileName: 'IMG_0001.jpg',
      originalFileName: null,
      uploadedToEspAt: Date.UTC(2026, 10, 20, 21, 5),
      fileViewedByEsp: true,
      exifViewedByEsp: null,
      fileRelevance: 'SUPPLEMENTAL_REPORTED',
      industryClassification: 'B2',
      fileAnnotations: ['possibleSelfProduction'],
      partnerHashes: [
        { hashType: 'MD5', value: 'd41d8cd98f00b204e9800998ecf8427e' },
        { hashType: 'PDQ', value: 'f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22' },
      ],
      details: [{ type: 'EXIF', name: 'Model', value: 'Example Cam' }],
      uploadIpEvent: null,
    });
  });

  it('Given only the required fields, When parsed, Then arrays are empty and the rest null', () => {
    const manifest = parseJsonManifest(
      bytesOf({ bundleRef: 'r', reports: [{ reportId: '1', incidentType: 'Child Sex Trafficking' }] }),
      'bundle.json',
    );
    expect(manifest.reports[0]!.fields).toMatchObject({
      incidentType: 'CHILD_SEX_TRAFFICKING',
      batched: false,
      batchedReason: null,
      reporter: null,
      personsReported: [],
      internetDetails: [],
      incidentDateTime: null,
    });
    expect(manifest.reports[0]!.files).toEqual([]);
  });

  // Test-only: the example edited through an untyped view, as a partner could send anything.
  // biome-ignore lint/suspicious/noExplicitAny: the cases build deliberately wrong manifests
  type Loose = any;
  const mutate = (change: (manifest: Loose) => void) => {
    const manifest = exampleManifest();
    change(manifest);
    return bytesOf(manifest);
  };

  it.each([
    {
      case: 'an unknown top-level key',
      bytes: mutate((m) => {
        m.extra = 1;
      }),
      code: 'TRIAGE_BUNDLE_JSON_SCHEMA',
      pointer: '/extra',
    },
    {
      case: 'an unknown key in a file',
      bytes: mutate((m) => {
        m.reports[0].files[0].sha256 = 'abc';
      }),
      code: 'TRIAGE_BUNDLE_JSON_SCHEMA',
      pointer: '/reports/0/files/0/sha256',
    },
    {
      case: 'no bundleRef',
      bytes: mutate((m) => {
        delete m.bundleRef;
      }),
      code: 'TRIAGE_BUNDLE_JSON_SCHEMA',
      pointer: '/bundleRef',
    },
    {
      case: 'a file without a name',
      bytes: mutate((m) => {
        delete m.reports[0].files[0].name;
      }),
      code: 'TRIAGE_BUNDLE_JSON_SCHEMA',
      pointer: '/reports/0/files/0/name',
    },
    {
      case: 'a file name that climbs out',
      bytes: mutate((m) => {
        m.reports[0].files[0].name = '../etc/passwd';
      }),
      code: 'TRIAGE_BUNDLE_JSON_SCHEMA',
      pointer: '/reports/0/files/0/name',
    },
    {
      case: 'an incident type NCMEC does not have',
      bytes: mutate((m) => {
        m.reports[0].incidentType = 'Something Else';
      }),
      code: 'TRIAGE_BUNDLE_ENUM_UNKNOWN',
      pointer: '/reports/0/incidentType',
    },
    {
      case: 'an unknown event name',
      bytes: mutate((m) => {
        m.reports[0].personsReported[0].ipCaptureEvents[0].eventName = 'Logout';
      }),
      code: 'TRIAGE_BUNDLE_ENUM_UNKNOWN',
      pointer: '/reports/0/personsReported/0/ipCaptureEvents/0/eventName',
    },
    {
      case: 'an unknown industry classification',
      bytes: mutate((m) => {
        m.reports[0].files[0].industryClassification = 'C1';
      }),
      code: 'TRIAGE_BUNDLE_ENUM_UNKNOWN',
      pointer: '/reports/0/files/0/industryClassification',
    },
    {
      case: 'a timestamp without a zone',
      bytes: mutate((m) => {
        m.reports[0].incidentDateTime = '2026-11-20T21:14:00';
      }),
      code: 'TRIAGE_BUNDLE_JSON_SCHEMA',
      pointer: '/reports/0/incidentDateTime',
    },
    {
      case: 'a port out of range',
      bytes: mutate((m) => {
        m.reports[0].personsReported[0].ipCaptureEvents[0].port = 70000;
      }),
      code: 'TRIAGE_BUNDLE_JSON_SCHEMA',
      pointer: '/reports/0/personsReported/0/ipCaptureEvents/0/port',
    },
    {
      case: 'no reports',
      bytes: mutate((m) => {
        m.reports = [];
      }),
      code: 'TRIAGE_BUNDLE_JSON_SCHEMA',
      pointer: '/reports',
    },
    {
      case: 'an unknown key whose name needs escaping',
      bytes: mutate((m) => {
        m.reports[0]['a/b'] = true;
      }),
      code: 'TRIAGE_BUNDLE_JSON_SCHEMA',
      pointer: '/reports/0/a~1b',
    },
    {
      case: 'malformed JSON',
      bytes: Buffer.from('{"bundleRef": '),
      code: 'TRIAGE_BUNDLE_JSON_MALFORMED',
      pointer: '',
    },
    {
      case: 'invalid UTF-8',
      bytes: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
      code: 'TRIAGE_BUNDLE_ENCODING',
      pointer: 'bundle.json#byte=2',
    },
  ])('Given $case, When parsed, Then $code at "$pointer"', ({ bytes, code, pointer }) => {
    const error = errorOf(() => parseJsonManifest(bytes, 'bundle.json'));
    expect(error.code).toBe(code);
    expect(error.pointer).toBe(pointer);
  });

  it('Given a UTF-8 byte order mark, When parsed, Then it is accepted', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytesOf(exampleManifest())]);
    expect(parseJsonManifest(bytes, 'bundle.json').reports).toHaveLength(1);
  });
});
