import { TriageError } from '@triage/errors';
import type { DetailType, DriftNote, FileDetail, IndustryClassification, PartnerHash } from '@triage/schemas';
import { fileRelevances } from '../ncmec-vocabulary.ts';
import type { FileFields } from '../parsed-bundle.ts';
import { readCyberTiplineDocument } from './cybertipline-reader.ts';
import {
  attributeOf,
  booleanOf,
  childNamed,
  childrenNamed,
  numberOf,
  ownText,
  textOf,
} from './element-values.ts';
import { toIpCaptureEvent } from './ip-capture-event.ts';
import type { XmlElement } from './xml-element.ts';

export interface ParsedFileDetailsDocument {
  /** fileDetails/reportId, as a canonical decimal (xs:long). */
  partnerReportId: string;
  fileId: string;
  /** Names to look the media entry up by, in order: fileName, fileId, originalFileName (present ones only). */
  entryNameCandidates: string[];
  fields: FileFields;
  /**
   * Unknown flags kept under the drift policy (inside fileAnnotations). ReportFile has no drift
   * notes, so the package collector adds these to the report's `driftNotes`.
   */
  driftNotes: DriftNote[];
}

/** Validated but not kept: device ids of the upload have no ReportFile field (docs/ncmec-xml.md). */
const notKept = new Set(['fileDetails/deviceId']);

/**
 * Parses and validates a CyberTipline `<fileDetails>` document into the Avro ReportFile fields
 * a manifest supplies. Errors as for `parseReportDocument`, pointers like
 * `fileDetails-1.xml#/fileDetails/originalFileHash[2]/@hashType`.
 */
export function parseFileDetailsDocument(bytes: Buffer, documentName: string): ParsedFileDetailsDocument {
  const { root, driftNotes } = readCyberTiplineDocument(bytes, {
    documentName,
    root: 'fileDetails',
    dropped: notKept,
  });
  const fileId = textOf(root, 'fileId')!;
  if (fileId === '') {
    // The XSD allows an empty xs:token; an item id cannot be built from one.
    throw new TriageError(
      'TRIAGE_BUNDLE_XML_SCHEMA',
      `${documentName}: <fileId> is empty; every file needs an id`,
      {
        pointer: `${documentName}#/fileDetails/fileId`,
      },
    );
  }
  const fileName = textOf(root, 'fileName');
  const originalFileName = textOf(root, 'originalFileName');
  const relevance = textOf(root, 'fileRelevance') as keyof typeof fileRelevances | null;
  const annotations = childNamed(root, 'fileAnnotations');
  const additionalInfo = childrenNamed(root, 'additionalInfo').map(ownText);
  const upload = childNamed(root, 'ipCaptureEvent');
  const fields: FileFields = {
    fileId,
    fileName,
    originalFileName,
    locationOfFile: textOf(root, 'locationOfFile'),
    uploadedToEspAt: numberOf(root, 'uploadedToEspTimestamp'),
    fileViewedByEsp: booleanOf(root, 'fileViewedByEsp'),
    exifViewedByEsp: booleanOf(root, 'exifViewedByEsp'),
    publiclyAvailable: booleanOf(root, 'publiclyAvailable'),
    fileRelevance: relevance === null ? null : fileRelevances[relevance],
    // The older schema's <potentialMeme>true</potentialMeme> (an XSD choice with fileAnnotations) is the same flag.
    fileAnnotations:
      annotations === undefined
        ? booleanOf(root, 'potentialMeme') === true
          ? ['potentialMeme']
          : []
        : annotations.children.map((flag) => flag.name),
    industryClassification: textOf(root, 'industryClassification') as IndustryClassification | null,
    partnerHashes: childrenNamed(root, 'originalFileHash').map(toPartnerHash),
    uploadIpEvent: upload === undefined ? null : toIpCaptureEvent(upload),
    details: childrenNamed(root, 'details').flatMap(toFileDetails),
    additionalInfo: additionalInfo.length === 0 ? null : additionalInfo.join('\n'),
  };
  const candidates = [fileName, fileId, originalFileName].filter(
    (name): name is string => name !== null && name !== '',
  );
  return {
    partnerReportId: textOf(root, 'reportId')!,
    fileId,
    entryNameCandidates: [...new Set(candidates)],
    fields,
    driftNotes: [...driftNotes],
  };
}

function toPartnerHash(hash: XmlElement): PartnerHash {
  const value = ownText(hash);
  return {
    hashType: attributeOf(hash, 'hashType', 'string')!.trim().toUpperCase(),
    value: /^[0-9a-fA-F]+$/.test(value) ? value.toLowerCase() : value,
  };
}

function toFileDetails(details: XmlElement): FileDetail[] {
  const type = (attributeOf(details, 'type', 'string') ?? 'UNKNOWN') as DetailType;
  return childrenNamed(details, 'nameValuePair').map((pair) => ({
    type,
    name: textOf(pair, 'name')!,
    value: textOf(pair, 'value')!,
  }));
}
