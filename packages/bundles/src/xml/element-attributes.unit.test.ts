import { describe, expect, it } from 'vitest';
import { checkAttributes } from './element-attributes.ts';
import { elementType } from './element-types.ts';
import { ReadErrors } from './read-errors.ts';
import { startTagOf } from './testing/start-tag.ts';

const errors = new ReadErrors({ documentName: 'report.xml', position: () => ({ line: 1, column: 1 }) });
const batchedReport = elementType('batchedReport');
const pointer = '/report/batchedReport';
const xsi = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';

describe('checkAttributes', () => {
  it('Given a declared attribute, a namespace declaration and an xsi schema hint, when checked, then only the declared one is kept, typed', () => {
    const tag = startTagOf(
      `<batchedReport ${xsi} xsi:noNamespaceSchemaLocation="x.xsd" reason="VIRAL_POTENTIAL_MEME"/>`,
    );

    expect([...checkAttributes(tag, batchedReport, pointer, errors)]).toEqual([
      ['reason', 'VIRAL_POTENTIAL_MEME'],
    ]);
  });

  it.each([
    ['a missing required attribute', '<batchedReport/>', `report.xml#${pointer}/@reason`],
    [
      'an undeclared attribute',
      '<batchedReport reason="VIRAL_POTENTIAL_MEME" size="3"/>',
      `report.xml#${pointer}/@size`,
    ],
    [
      'xsi:type',
      `<batchedReport ${xsi} xsi:type="t" reason="VIRAL_POTENTIAL_MEME"/>`,
      `report.xml#${pointer}/@xsi:type`,
    ],
  ])('Given %s, when checked, then it is a schema error at the attribute', (_case, xml, expected) => {
    expect(() => checkAttributes(startTagOf(xml), batchedReport, pointer, errors)).toThrow(
      expect.objectContaining({ code: 'TRIAGE_BUNDLE_XML_SCHEMA', pointer: expected }),
    );
  });

  it('Given an attribute on an element of simple type, when checked, then it is refused (simple types have none)', () => {
    expect(() => checkAttributes(startTagOf('<x a="1"/>'), { kind: 'flag' }, '/report/x', errors)).toThrow(
      expect.objectContaining({ message: expect.stringContaining('<x> has no attribute a') }),
    );
  });
});
