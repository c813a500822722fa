import { describe, expect, it } from 'vitest';
import { readCyberTiplineDocument } from './cybertipline-reader.ts';
import { richReport } from './testing/cybertipline-samples.ts';
import type { XmlElement } from './xml-element.ts';

const names = (element: XmlElement | undefined) => element?.children.map((child) => child.name);
const find = (element: XmlElement, name: string) => element.children.find((child) => child.name === name);

describe('readCyberTiplineDocument', () => {
  it('Given not-kept paths, when read, then those subtrees are missing from the tree and the rest is kept', () => {
    const { root } = readCyberTiplineDocument(Buffer.from(richReport), {
      documentName: 'report.xml',
      root: 'report',
      dropped: new Set([
        'report/reporter',
        'report/victim/victimPerson/firstName',
        'report/reporter/contactPerson',
      ]),
    });

    expect(names(root)).not.toContain('reporter');
    expect(names(root)).toContain('lawEnforcement');
    const victimPerson = find(find(root, 'victim')!, 'victimPerson');
    expect(names(victimPerson)).toEqual(['lastName', 'age']);
  });

  it('Given an invalid value inside a not-kept subtree, when read, then it is still rejected', () => {
    const xml = richReport.replace('<agencyName>Example Police</agencyName>', '');

    expect(() =>
      readCyberTiplineDocument(Buffer.from(xml), {
        documentName: 'report.xml',
        root: 'report',
        dropped: new Set(['report/lawEnforcement']),
      }),
    ).toThrow(expect.objectContaining({ pointer: 'report.xml#/report/lawEnforcement/agencyName' }));
  });

  it('Given typed values, when read, then elements and attributes carry them converted, with indexed pointers on repeatable elements', () => {
    const { root } = readCyberTiplineDocument(Buffer.from(richReport), {
      documentName: 'report.xml',
      root: 'report',
    });

    const person = find(root, 'personOrUserReported')!;
    const event = find(person, 'ipCaptureEvent')!;
    expect(person.pointer).toBe('/report/personOrUserReported[1]');
    expect(event.pointer).toBe('/report/personOrUserReported[1]/ipCaptureEvent[1]');
    expect(find(event, 'port')).toMatchObject({ pointer: `${event.pointer}/port`, value: 51234 });
    expect(find(event, 'possibleProxy')?.value).toBe(false);
    expect(find(root, 'batchedReport')?.attributes.get('reason')).toBe('VIRAL_POTENTIAL_MEME');
    expect(find(person, 'estimatedLocation')?.attributes.get('timestamp')).toBe(
      Date.parse('2026-11-20T22:00:00Z'),
    );
  });
});
