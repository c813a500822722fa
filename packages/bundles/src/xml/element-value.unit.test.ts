import { describe, expect, it } from 'vitest';
import { type ElementType, elementType } from './element-types.ts';
import { closedValue } from './element-value.ts';
import { type OpenElementOptions, openElement } from './open-element.ts';
import { ReadErrors } from './read-errors.ts';

const errors = new ReadErrors({ documentName: 'report.xml', position: () => ({ line: 1, column: 1 }) });

function element(type: ElementType, text: string, options: Partial<OpenElementOptions> = {}) {
  const open = openElement({
    name: 'x',
    pointer: '/report/x',
    drops: null,
    type,
    retained: true,
    attributes: new Map(),
    ...options,
  });
  open.text = text;
  return open;
}

const flag: ElementType = { kind: 'flag' };
const boolean: ElementType = { kind: 'simple', def: { base: 'boolean' } };

describe('closedValue', () => {
  it.each(['', 'true', '1'])(
    'Given a drift flag holding %j, when it ends, then its value is true',
    (text) => {
      expect(closedValue(element(flag, text), errors)).toBe(true);
    },
  );

  it('Given a drift flag holding false, when it ends, then it is refused', () => {
    expect(() => closedValue(element(flag, 'false'), errors)).toThrow(
      expect.objectContaining({
        code: 'TRIAGE_BUNDLE_XML_SCHEMA',
        details: expect.objectContaining({ value: 'false' }),
      }),
    );
  });

  it('Given simple content, when it ends, then its value is converted by its type', () => {
    expect(closedValue(element({ kind: 'simple', def: { base: 'int' } }, '51234'), errors)).toBe(51234);
  });

  it('Given an empty element with a fixed value, when it ends, then it takes the fixed value', () => {
    expect(closedValue(element(boolean, '', { fixed: 'true' }), errors)).toBe(true);
  });

  it('Given a value other than the fixed one, when it ends, then it is refused naming the fixed value', () => {
    expect(() => closedValue(element(boolean, 'false', { fixed: 'true' }), errors)).toThrow(
      expect.objectContaining({ message: expect.stringContaining('<x> must be true (fixed by the schema)') }),
    );
  });

  it('Given element content missing required children, when it ends, then it is refused at the first missing child', () => {
    const report = element(elementType('element:report'), '', { name: 'report', pointer: '/report' });

    expect(() => closedValue(report, errors)).toThrow(
      expect.objectContaining({ pointer: 'report.xml#/report/incidentSummary' }),
    );
  });

  it('Given empty content (attributes only), when it ends, then it has no value', () => {
    expect(closedValue(element(elementType('batchedReport'), ''), errors)).toBeNull();
  });
});
