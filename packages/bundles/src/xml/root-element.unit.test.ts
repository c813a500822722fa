import { describe, expect, it } from 'vitest';
import { xmlRootElement } from './root-element.ts';
import { readNcmecFile } from './testing/cybertipline-samples.ts';

const sniff = (text: string) => xmlRootElement(Buffer.from(text));

describe('xmlRootElement', () => {
  it("Given NCMEC's example documents, when sniffed, then it names their roots", () => {
    expect(xmlRootElement(readNcmecFile('ncmec-doc-6.1-report.xml'))).toBe('report');
    expect(xmlRootElement(readNcmecFile('ncmec-doc-6.3-fileDetails.xml'))).toBe('fileDetails');
    expect(xmlRootElement(readNcmecFile('ncmec-doc-reportResponse.xml'))).toBe('reportResponse');
  });

  it('Given a BOM, comments, processing instructions and a DOCTYPE before the root, when sniffed, then it skips them', () => {
    expect(sniff('\uFEFF<?xml version="1.0"?>\n<!-- <fileDetails> -->\n<?pi x?>\n<report/>')).toBe('report');
    expect(sniff('<!DOCTYPE report [ <!ENTITY a "<b>"> ]>\n<fileDetails>')).toBe('fileDetails');
    expect(sniff('<ns:report xmlns:ns="urn:x">')).toBe('ns:report');
  });

  it('Given bytes that do not start like XML, when sniffed, then it answers null', () => {
    expect(sniff('{"bundleRef": "x"}')).toBeNull();
    expect(sniff('')).toBeNull();
    expect(sniff('<!-- never closed')).toBeNull();
    expect(sniff('< report>')).toBeNull();
    expect(xmlRootElement(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBeNull();
  });
});
