import { type ErrorCode, TriageError } from '@triage/errors';
import type { DriftNote } from '@triage/schemas';
import { describe, expect, it } from 'vitest';
import { parseFileDetailsDocument } from './file-details-document.ts';
import { parseReportDocument } from './report-document.ts';
import { readNcmecFile, richFileDetails, richReport } from './testing/cybertipline-samples.ts';

/**
 * One row per kind of bad (or drifted) CyberTipline input: the document is a small mutation of
 * NCMEC's §6.1/§6.3 examples or of the invented samples, and each row names the error code and
 * the pointer a partner gets, or the drift note a tolerated newer element leaves.
 */

const report61 = readNcmecFile('ncmec-doc-6.1-report.xml').toString();
const fileDetails63 = readNcmecFile('ncmec-doc-6.3-fileDetails.xml').toString();

function replaced(text: string, search: string | RegExp, replacement: string): string {
  const result = text.replace(search, replacement);
  if (result === text) throw new Error(`mutation did not apply: ${String(search)}`);
  return result;
}

const billionLaughs = `<?xml version="1.0"?>
<!DOCTYPE report [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<report><incidentSummary><incidentType>&lol3;</incidentType></incidentSummary></report>
`;

const externalEntity = `<?xml version="1.0"?>
<!DOCTYPE report [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
<report><incidentSummary><incidentType>&secret;</incidentType></incidentSummary></report>
`;

type Outcome = { readonly code: ErrorCode; readonly pointer: string } | { readonly drift: DriftNote };

interface Row {
  readonly name: string;
  readonly kind: 'report' | 'fileDetails';
  readonly document: string | Buffer;
  readonly outcome: Outcome;
}

const rows: Row[] = [
  {
    name: 'element out of XSD order (incidentDateTime before reportAnnotations)',
    kind: 'report',
    document: replaced(
      report61,
      /(<reportAnnotations>[\s\S]*<\/reportAnnotations>)(\s*)(<incidentDateTime>.*<\/incidentDateTime>)/,
      '$3$2$1',
    ),
    outcome: {
      code: 'TRIAGE_BUNDLE_XML_SCHEMA',
      pointer: 'report.xml#/report/incidentSummary/reportAnnotations',
    },
  },
  {
    name: 'top-level element out of order (reporter before internetDetails)',
    kind: 'report',
    document: replaced(
      report61,
      /(<internetDetails>[\s\S]*<\/internetDetails>)(\s*)(<reporter>[\s\S]*<\/reporter>)/,
      '$3$2$1',
    ),
    outcome: { code: 'TRIAGE_BUNDLE_XML_SCHEMA', pointer: 'report.xml#/report/internetDetails[1]' },
  },
  {
    name: 'missing incidentType',
    kind: 'report',
    document: replaced(report61, /<incidentType>.*<\/incidentType>/, ''),
    outcome: { code: 'TRIAGE_BUNDLE_XML_SCHEMA', pointer: 'report.xml#/report/incidentSummary/incidentType' },
  },
  {
    name: 'missing required element at the end (no reporter)',
    kind: 'report',
    document: replaced(report61, /<reporter>[\s\S]*<\/reporter>/, ''),
    outcome: { code: 'TRIAGE_BUNDLE_XML_SCHEMA', pointer: 'report.xml#/report/reporter' },
  },
  {
    name: 'element occurring too often (two incidentType)',
    kind: 'report',
    document: replaced(report61, /(<incidentType>.*<\/incidentType>)/, '$1$1'),
    outcome: {
      code: 'TRIAGE_BUNDLE_XML_SCHEMA',
      pointer: 'report.xml#/report/incidentSummary/incidentType[2]',
    },
  },
  {
    name: 'unknown element outside the annotation lists',
    kind: 'report',
    document: replaced(
      report61,
      '</incidentSummary>',
      '<favouriteColour>blue</favouriteColour></incidentSummary>',
    ),
    outcome: {
      code: 'TRIAGE_BUNDLE_XML_SCHEMA',
      pointer: 'report.xml#/report/incidentSummary/favouriteColour',
    },
  },
  {
    name: 'unknown incidentType value',
    kind: 'report',
    document: replaced(
      report61,
      /<incidentType>.*<\/incidentType>/,
      '<incidentType>Something Else</incidentType>',
    ),
    outcome: {
      code: 'TRIAGE_BUNDLE_ENUM_UNKNOWN',
      pointer: 'report.xml#/report/incidentSummary/incidentType',
    },
  },
  {
    name: 'unknown eventName in a person’s second IP capture event',
    kind: 'report',
    document: replaced(richReport, '<eventName>Registration</eventName>', '<eventName>Logout</eventName>'),
    outcome: {
      code: 'TRIAGE_BUNDLE_ENUM_UNKNOWN',
      pointer: 'report.xml#/report/personOrUserReported[1]/ipCaptureEvent[2]/eventName',
    },
  },
  {
    name: 'eventName in the second person’s IP event',
    kind: 'report',
    document: replaced(
      richReport,
      '<screenName>second_user</screenName>',
      '<screenName>second_user</screenName><ipCaptureEvent><ipAddress>192.0.2.1</ipAddress><eventName>login</eventName></ipCaptureEvent>',
    ),
    outcome: {
      code: 'TRIAGE_BUNDLE_ENUM_UNKNOWN',
      pointer: 'report.xml#/report/personOrUserReported[2]/ipCaptureEvent[1]/eventName',
    },
  },
  {
    name: 'bad xs:dateTime',
    kind: 'report',
    document: replaced(report61, '2012-10-15T08:00:00-07:00', '2012-10-15 08:00'),
    outcome: {
      code: 'TRIAGE_BUNDLE_XML_SCHEMA',
      pointer: 'report.xml#/report/incidentSummary/incidentDateTime',
    },
  },
  {
    name: 'impossible date (30 February)',
    kind: 'report',
    document: replaced(report61, '2012-10-15T08:00:00-07:00', '2012-02-30T08:00:00Z'),
    outcome: {
      code: 'TRIAGE_BUNDLE_XML_SCHEMA',
      pointer: 'report.xml#/report/incidentSummary/incidentDateTime',
    },
  },
  {
    name: 'bad xs:boolean',
    kind: 'fileDetails',
    document: replaced(
      richFileDetails,
      '<fileViewedByEsp>true</fileViewedByEsp>',
      '<fileViewedByEsp>yes</fileViewedByEsp>',
    ),
    outcome: { code: 'TRIAGE_BUNDLE_XML_SCHEMA', pointer: 'fileDetails.xml#/fileDetails/fileViewedByEsp' },
  },
  {
    name: 'bad xs:long reportId',
    kind: 'fileDetails',
    document: replaced(fileDetails63, '<reportId>4564654</reportId>', '<reportId>R-4564654</reportId>'),
    outcome: { code: 'TRIAGE_BUNDLE_XML_SCHEMA', pointer: 'fileDetails.xml#/fileDetails/reportId' },
  },
  {
    name: 'xs:int out of range (port)',
    kind: 'fileDetails',
    document: replaced(richFileDetails, '<port>443</port>', '<port>2147483648</port>'),
    outcome: {
      code: 'TRIAGE_BUNDLE_XML_SCHEMA',
      pointer: 'fileDetails.xml#/fileDetails/ipCaptureEvent/port',
    },
  },
  {
    name: 'flag fixed to true given false',
    kind: 'report',
    document: replaced(report61, '<spam />', '<spam>false</spam>'),
    outcome: {
      code: 'TRIAGE_BUNDLE_XML_SCHEMA',
      pointer: 'report.xml#/report/incidentSummary/reportAnnotations/spam',
    },
  },
  {
    name: 'unknown fileRelevance',
    kind: 'fileDetails',
    document: replaced(richFileDetails, 'Supplemental Reported', 'Supplemental'),
    outcome: { code: 'TRIAGE_BUNDLE_ENUM_UNKNOWN', pointer: 'fileDetails.xml#/fileDetails/fileRelevance' },
  },
  {
    name: 'unknown industryClassification',
    kind: 'fileDetails',
    document: replaced(richFileDetails, '>B2<', '>C1<'),
    outcome: {
      code: 'TRIAGE_BUNDLE_ENUM_UNKNOWN',
      pointer: 'fileDetails.xml#/fileDetails/industryClassification',
    },
  },
  {
    name: 'unknown country code',
    kind: 'report',
    document: replaced(richReport, '<countryCode>A1</countryCode>', '<countryCode>XX</countryCode>'),
    outcome: {
      code: 'TRIAGE_BUNDLE_ENUM_UNKNOWN',
      pointer: 'report.xml#/report/personOrUserReported[2]/estimatedLocation/countryCode',
    },
  },
  {
    name: 'unknown attribute enumeration value (details type)',
    kind: 'fileDetails',
    document: replaced(richFileDetails, '<details type="EXIF">', '<details type="XMP">'),
    outcome: { code: 'TRIAGE_BUNDLE_ENUM_UNKNOWN', pointer: 'fileDetails.xml#/fileDetails/details[1]/@type' },
  },
  {
    name: 'attribute breaking its pattern (countryCallingCode without +)',
    kind: 'report',
    document: replaced(richReport, 'countryCallingCode="+31">687654321', 'countryCallingCode="31">687654321'),
    outcome: {
      code: 'TRIAGE_BUNDLE_XML_SCHEMA',
      pointer:
        'report.xml#/report/personOrUserReported[1]/personOrUserReportedPerson/phone[1]/@countryCallingCode',
    },
  },
  {
    name: 'missing required attribute (batchedReport reason)',
    kind: 'report',
    document: replaced(richReport, '<batchedReport reason="VIRAL_POTENTIAL_MEME"/>', '<batchedReport/>'),
    outcome: { code: 'TRIAGE_BUNDLE_XML_SCHEMA', pointer: 'report.xml#/report/batchedReport/@reason' },
  },
  {
    name: 'unknown attribute',
    kind: 'report',
    document: replaced(richReport, '<batchedReport reason', '<batchedReport size="3" reason'),
    outcome: { code: 'TRIAGE_BUNDLE_XML_SCHEMA', pointer: 'report.xml#/report/batchedReport/@size' },
  },
  {
    name: 'missing required hashType attribute',
    kind: 'fileDetails',
    document: replaced(richFileDetails, '<originalFileHash hashType="Sha1">', '<originalFileHash>'),
    outcome: {
      code: 'TRIAGE_BUNDLE_XML_SCHEMA',
      pointer: 'fileDetails.xml#/fileDetails/originalFileHash[2]/@hashType',
    },
  },
  {
    name: 'xsi:type (type substitution is not supported)',
    kind: 'fileDetails',
    document: replaced(fileDetails63, '<fileId>', '<fileId xsi:type="xs:string">'),
    outcome: { code: 'TRIAGE_BUNDLE_XML_SCHEMA', pointer: 'fileDetails.xml#/fileDetails/fileId/@xsi:type' },
  },
  {
    name: 'text inside element-only content',
    kind: 'report',
    document: replaced(report61, '<incidentSummary>', '<incidentSummary>urgent'),
    outcome: { code: 'TRIAGE_BUNDLE_XML_SCHEMA', pointer: 'report.xml#/report/incidentSummary' },
  },
  {
    name: 'element inside a value (markup in incidentType)',
    kind: 'report',
    document: replaced(report61, '<incidentType>Child', '<incidentType><b>x</b>Child'),
    outcome: {
      code: 'TRIAGE_BUNDLE_XML_SCHEMA',
      pointer: 'report.xml#/report/incidentSummary/incidentType/b',
    },
  },
  {
    name: 'text inside an empty-content element (batchedReport)',
    kind: 'report',
    document: replaced(
      richReport,
      '<batchedReport reason="VIRAL_POTENTIAL_MEME"/>',
      '<batchedReport reason="VIRAL_POTENTIAL_MEME"> </batchedReport>',
    ),
    outcome: { code: 'TRIAGE_BUNDLE_XML_SCHEMA', pointer: 'report.xml#/report/batchedReport' },
  },
  {
    name: 'both alternatives of an XSD choice (potentialMeme and fileAnnotations)',
    kind: 'fileDetails',
    document: replaced(
      richFileDetails,
      '<fileAnnotations>',
      '<potentialMeme>true</potentialMeme><fileAnnotations>',
    ),
    outcome: { code: 'TRIAGE_BUNDLE_XML_SCHEMA', pointer: 'fileDetails.xml#/fileDetails/fileAnnotations' },
  },
  {
    name: 'empty fileId (allowed by xs:token, but a file needs an id)',
    kind: 'fileDetails',
    document: replaced(fileDetails63, /<fileId>.*<\/fileId>/, '<fileId> </fileId>'),
    outcome: { code: 'TRIAGE_BUNDLE_XML_SCHEMA', pointer: 'fileDetails.xml#/fileDetails/fileId' },
  },
  {
    name: 'root in a namespace',
    kind: 'report',
    document: replaced(report61, '<report ', '<report xmlns="urn:example:not-ncmec" '),
    outcome: { code: 'TRIAGE_BUNDLE_XML_SCHEMA', pointer: 'report.xml#/report' },
  },
  {
    name: 'a fileDetails document where a report is expected',
    kind: 'report',
    document: fileDetails63,
    outcome: { code: 'TRIAGE_BUNDLE_XML_SCHEMA', pointer: 'report.xml#/fileDetails' },
  },
  {
    name: 'DOCTYPE declaration',
    kind: 'report',
    document: replaced(report61, '<report ', '<!DOCTYPE report>\n<report '),
    outcome: { code: 'TRIAGE_BUNDLE_XML_FORBIDDEN', pointer: 'report.xml:2:17' },
  },
  {
    name: 'internal entity expansion (billion laughs)',
    kind: 'report',
    document: billionLaughs,
    outcome: { code: 'TRIAGE_BUNDLE_XML_FORBIDDEN', pointer: 'report.xml:6:2' },
  },
  {
    name: 'external entity (XXE to a local file)',
    kind: 'report',
    document: externalEntity,
    outcome: { code: 'TRIAGE_BUNDLE_XML_FORBIDDEN', pointer: 'report.xml:2:66' },
  },
  {
    name: 'entity reference without a DOCTYPE (&nbsp;)',
    kind: 'report',
    document: replaced(report61, 'http://badsite.com/baduri.html', 'http://badsite.com/&nbsp;'),
    outcome: { code: 'TRIAGE_BUNDLE_XML_FORBIDDEN', pointer: 'report.xml:17:37' },
  },
  {
    name: 'invalid UTF-8 bytes',
    kind: 'report',
    document: Buffer.concat([
      Buffer.from(report61.slice(0, 200)),
      Buffer.from([0xc3, 0x28]),
      Buffer.from(report61.slice(200)),
    ]),
    outcome: { code: 'TRIAGE_BUNDLE_ENCODING', pointer: 'report.xml#byte=200' },
  },
  {
    name: 'declared encoding other than UTF-8',
    kind: 'report',
    document: replaced(report61, 'encoding="UTF-8"', 'encoding="ISO-8859-1"'),
    outcome: { code: 'TRIAGE_BUNDLE_ENCODING', pointer: 'report.xml#byte=0' },
  },
  {
    name: 'not well-formed (mismatched end tag)',
    kind: 'report',
    document: replaced(report61, '</webPageIncident>', '</webpageIncident>'),
    outcome: { code: 'TRIAGE_BUNDLE_XML_MALFORMED', pointer: 'report.xml:18:26' },
  },
  {
    name: 'not well-formed (truncated document)',
    kind: 'fileDetails',
    document: fileDetails63.slice(0, fileDetails63.indexOf('<additionalInfo>')),
    outcome: { code: 'TRIAGE_BUNDLE_XML_MALFORMED', pointer: 'fileDetails.xml:12:4' },
  },
  {
    name: 'an unknown flag in reportAnnotations that holds a value',
    kind: 'report',
    document: replaced(report61, '<spam />', '<spam /><futureFlag>maybe</futureFlag>'),
    outcome: {
      code: 'TRIAGE_BUNDLE_XML_SCHEMA',
      pointer: 'report.xml#/report/incidentSummary/reportAnnotations/futureFlag',
    },
  },
  {
    name: '<informational/> twice',
    kind: 'report',
    document: replaced(report61, '<spam />', '<informational/><spam /><informational/>'),
    outcome: {
      code: 'TRIAGE_BUNDLE_XML_SCHEMA',
      pointer: 'report.xml#/report/incidentSummary/reportAnnotations/informational[2]',
    },
  },
  {
    name: 'a known flag twice in reportAnnotations',
    kind: 'report',
    document: replaced(report61, '<spam />', '<spam /><spam/>'),
    outcome: {
      code: 'TRIAGE_BUNDLE_XML_SCHEMA',
      pointer: 'report.xml#/report/incidentSummary/reportAnnotations/spam[2]',
    },
  },
  {
    name: '<informational/> (newer than the XSD) is accepted',
    kind: 'report',
    document: replaced(report61, '<sextortion />', '<informational/><sextortion />'),
    outcome: {
      drift: {
        path: 'report.xml#/report/incidentSummary/reportAnnotations/informational',
        kind: 'newer_element',
        value: null,
      },
    },
  },
  {
    name: 'an unknown flag in fileAnnotations is accepted',
    kind: 'fileDetails',
    document: replaced(richFileDetails, '<generativeAi/>', '<generativeAi/><deepfake/>'),
    outcome: {
      drift: {
        path: 'fileDetails.xml#/fileDetails/fileAnnotations/deepfake',
        kind: 'unknown_element',
        value: null,
      },
    },
  },
];

function parse(row: Row) {
  const bytes = typeof row.document === 'string' ? Buffer.from(row.document) : row.document;
  if (row.kind === 'report') {
    const { fields } = parseReportDocument(bytes, 'report.xml');
    return { driftNotes: fields.driftNotes, annotations: fields.reportAnnotations };
  }
  const parsed = parseFileDetailsDocument(bytes, 'fileDetails.xml');
  return { driftNotes: parsed.driftNotes, annotations: parsed.fields.fileAnnotations };
}

describe('CyberTipline XML bad input, one row per case', () => {
  it.each(rows)('Given $name, when parsed, then the outcome names the code and the element', (row) => {
    const { outcome } = row;
    if ('drift' in outcome) {
      const parsed = parse(row);
      expect(parsed.driftNotes).toEqual([outcome.drift]);
      expect(parsed.annotations).toContain(outcome.drift.path.split('/').at(-1));
      return;
    }
    let caught: unknown;
    try {
      parse(row);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TriageError);
    expect(caught).toMatchObject({ code: outcome.code, pointer: outcome.pointer });
  });

  it('Given an external entity pointing at a local file, when parsed, then the error carries none of the file’s content', () => {
    const row = rows.find((candidate) => candidate.name.startsWith('external entity'))!;

    const error = (() => {
      try {
        parse(row);
      } catch (caught) {
        return caught as TriageError;
      }
      throw new Error('expected a rejection');
    })();

    expect(JSON.stringify({ ...error.toJSON(), cause: String(error.cause) })).not.toContain('root:');
  });
});
