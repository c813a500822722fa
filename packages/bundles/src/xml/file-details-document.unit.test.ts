import { describe, expect, it } from 'vitest';
import type { FileFields } from '../parsed-bundle.ts';
import { parseFileDetailsDocument } from './file-details-document.ts';
import { readNcmecFile, richFileDetails } from './testing/cybertipline-samples.ts';

const ms = (iso: string) => Date.parse(iso);

const emptyFile: Omit<FileFields, 'fileId'> = {
  fileName: null,
  originalFileName: null,
  locationOfFile: null,
  uploadedToEspAt: null,
  fileViewedByEsp: null,
  exifViewedByEsp: null,
  publiclyAvailable: null,
  fileRelevance: null,
  fileAnnotations: [],
  industryClassification: null,
  partnerHashes: [],
  uploadIpEvent: null,
  details: [],
  additionalInfo: null,
};

const minimal = (inner: string) =>
  Buffer.from(`<fileDetails><reportId>7</reportId><fileId>f-9</fileId>${inner}</fileDetails>`);

describe('parseFileDetailsDocument', () => {
  it("Given NCMEC's §6.3 example, when parsed, then it yields exactly the normalised file fields", () => {
    const parsed = parseFileDetailsDocument(
      readNcmecFile('ncmec-doc-6.3-fileDetails.xml'),
      'fileDetails.xml',
    );

    expect(parsed).toEqual({
      partnerReportId: '4564654',
      fileId: 'b0754af766b426f2928a02c651ed4b99',
      entryNameCandidates: ['b0754af766b426f2928a02c651ed4b99', 'mypic.jpg'],
      fields: {
        ...emptyFile,
        fileId: 'b0754af766b426f2928a02c651ed4b99',
        originalFileName: 'mypic.jpg',
        uploadIpEvent: {
          ipAddress: '63.116.246.17',
          eventName: 'Upload',
          dateTime: ms('2011-10-31T12:00:00Z'),
          possibleProxy: null,
          port: null,
        },
        additionalInfo: 'File was originally posted with 6 others',
      },
      driftNotes: [],
    });
  });

  it('Given an invented fileDetails using most of the XSD, when parsed, then hashes, flags, classification, details and the upload event are normalised', () => {
    const parsed = parseFileDetailsDocument(Buffer.from(richFileDetails), 'fileDetails-1.xml');

    expect(parsed).toEqual({
      partnerReportId: '100234',
      // xs:token: whitespace collapsed.
      fileId: 'f-1',
      entryNameCandidates: ['media/IMG_0001.jpg', 'f-1', 'holiday.jpg'],
      fields: {
        fileId: 'f-1',
        fileName: 'media/IMG_0001.jpg',
        originalFileName: 'holiday.jpg',
        locationOfFile: 'https://cdn.example/abc.jpg',
        uploadedToEspAt: ms('2026-11-20T21:05:00Z'),
        fileViewedByEsp: true,
        exifViewedByEsp: false,
        publiclyAvailable: false,
        fileRelevance: 'SUPPLEMENTAL_REPORTED',
        fileAnnotations: ['possibleSelfProduction', 'generativeAi'],
        industryClassification: 'B2',
        partnerHashes: [
          { hashType: 'MD5', value: '0cc175b9c0f1b6a831c399e269772661' },
          { hashType: 'SHA1', value: '86f7e437faa5a7fce15d1ddcb9eaeaea377667b8' },
          // Not hex: kept as sent.
          { hashType: 'PHOTODNA', value: 'AQID,BAUG' },
        ],
        uploadIpEvent: {
          ipAddress: '198.51.100.9',
          eventName: 'Upload',
          dateTime: ms('2026-11-20T21:05:00Z'),
          possibleProxy: false,
          port: 443,
        },
        details: [
          { type: 'EXIF', name: 'Model', value: 'Example Cam' },
          { type: 'EXIF', name: 'Software', value: 'Example 1.0' },
          { type: 'UNKNOWN', name: 'note', value: 'untyped' },
        ],
        additionalInfo: 'First upload\nRe-uploaded later',
      },
      driftNotes: [],
    });
  });

  it('Given the older potentialMeme element instead of fileAnnotations, when parsed, then it becomes the potentialMeme flag only when true', () => {
    const yes = parseFileDetailsDocument(minimal('<potentialMeme>true</potentialMeme>'), 'a.xml');
    const no = parseFileDetailsDocument(minimal('<potentialMeme>false</potentialMeme>'), 'b.xml');

    expect(yes.fields.fileAnnotations).toEqual(['potentialMeme']);
    expect(no.fields.fileAnnotations).toEqual([]);
  });

  it('Given fileName equal to fileId, when parsed, then the entry name candidates hold it once', () => {
    const parsed = parseFileDetailsDocument(minimal('<fileName>f-9</fileName>'), 'a.xml');

    expect(parsed.entryNameCandidates).toEqual(['f-9']);
  });

  it('Given an unknown flag in fileAnnotations, when parsed, then it is kept as an annotation with an unknown_element drift note for the report', () => {
    const parsed = parseFileDetailsDocument(
      minimal('<fileAnnotations><viral/><aiUpscaled/></fileAnnotations>'),
      'fileDetails-3.xml',
    );

    expect(parsed.fields.fileAnnotations).toEqual(['viral', 'aiUpscaled']);
    expect(parsed.driftNotes).toEqual([
      {
        path: 'fileDetails-3.xml#/fileDetails/fileAnnotations/aiUpscaled',
        kind: 'unknown_element',
        value: null,
      },
    ]);
  });
});
