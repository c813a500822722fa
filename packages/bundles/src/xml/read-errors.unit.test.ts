import { describe, expect, it } from 'vitest';
import { ReadErrors } from './read-errors.ts';

const errors = new ReadErrors({ documentName: 'report.xml', position: () => ({ line: 3, column: 17 }) });

describe('ReadErrors', () => {
  it('Given an element path, when a schema error is raised, then it names the document, the path and the parser position', () => {
    const error = errors.schema('<victim> is missing <victimPerson>', '/report/victim[1]', {
      missing: ['x'],
    });

    expect(error).toMatchObject({
      code: 'TRIAGE_BUNDLE_XML_SCHEMA',
      message: 'report.xml: <victim> is missing <victimPerson> (line 3, column 17)',
      pointer: 'report.xml#/report/victim[1]',
      details: { missing: ['x'], line: 3, column: 17 },
    });
  });

  it('Given a value outside its enumeration, when checked, then the error has the unknown-enumeration code and the value', () => {
    const check = () => errors.value({ base: 'string', enumeration: ['Home'] }, 'Moon', '/report/x', '<x>');

    expect(check).toThrow(
      expect.objectContaining({
        code: 'TRIAGE_BUNDLE_ENUM_UNKNOWN',
        details: { value: 'Moon', line: 3, column: 17 },
      }),
    );
  });

  it('Given a value breaking its base type, when checked, then it is a schema error; a good value comes back typed', () => {
    expect(() => errors.value({ base: 'int' }, 'ten', '/report/x', '<x>')).toThrow(
      expect.objectContaining({ code: 'TRIAGE_BUNDLE_XML_SCHEMA' }),
    );
    expect(errors.value({ base: 'int' }, '10', '/report/x', '<x>')).toBe(10);
  });

  it('Given a refused construct of 5 characters, when raised with back 5, then the position points at its start', () => {
    expect(errors.forbidden('no entities', 5)).toMatchObject({
      code: 'TRIAGE_BUNDLE_XML_FORBIDDEN',
      message: 'report.xml: no entities (line 3, column 12)',
      pointer: 'report.xml:3:12',
      details: { line: 3, column: 12 },
    });
  });

  it('Given a saxes error carrying its position prefix, when wrapped, then the message says it once', () => {
    const cause = new Error('3:17: unclosed tag: report');

    expect(errors.notWellFormed(cause)).toMatchObject({
      code: 'TRIAGE_BUNDLE_XML_MALFORMED',
      message: 'report.xml is not well-formed XML: unclosed tag: report (line 3, column 17)',
      pointer: 'report.xml:3:17',
      cause,
    });
  });
});
