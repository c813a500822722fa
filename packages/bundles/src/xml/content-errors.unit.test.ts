import { describe, expect, it } from 'vitest';
import { misplacedChildError, missingChildrenError } from './content-errors.ts';
import { ReadErrors } from './read-errors.ts';

const errors = new ReadErrors({ documentName: 'report.xml', position: () => ({ line: 2, column: 4 }) });
const parent = { name: 'incidentSummary', pointer: '/report/incidentSummary' };

describe('misplacedChildError', () => {
  it('Given required elements left out before a child, when explained, then it points at the first missing one', () => {
    const error = misplacedChildError(
      { kind: 'missing', missing: ['incidentType', 'incidentDateTime'] },
      { parent, name: 'reportAnnotations', pointer: '/report/incidentSummary/reportAnnotations' },
      errors,
    );

    expect(error).toMatchObject({
      message:
        'report.xml: <incidentSummary> needs <incidentType>, <incidentDateTime> before <reportAnnotations> (missing, or out of XSD order) (line 2, column 4)',
      pointer: 'report.xml#/report/incidentSummary/incidentType',
      details: { missing: ['incidentType', 'incidentDateTime'], before: 'reportAnnotations' },
    });
  });

  it('Given a child past its maximum, when explained, then it points at the child and names the maximum', () => {
    const pointer = '/report/incidentSummary/incidentType[2]';

    expect(
      misplacedChildError({ kind: 'too_many', max: 1 }, { parent, name: 'incidentType', pointer }, errors),
    ).toMatchObject({
      message:
        'report.xml: <incidentType> may occur at most 1 time(s) in <incidentSummary> (line 2, column 4)',
      pointer: `report.xml#${pointer}`,
    });
  });

  it.each([
    [['incidentDateTime'], '<incidentDateTime>'],
    [[], 'nothing more'],
  ])(
    'Given a child out of order where %j could come, when explained, then it says "%s" is expected',
    (expected, says) => {
      const error = misplacedChildError(
        { kind: 'out_of_order', expected },
        { parent, name: 'incidentType', pointer: '/report/incidentSummary/incidentType' },
        errors,
      );

      expect(error.message).toContain(`expected here: ${says} (`);
      expect(error.details).toMatchObject({ expected });
    },
  );
});

describe('missingChildrenError', () => {
  it('Given required children missing at the end tag, when explained, then it points at the first of them', () => {
    expect(missingChildrenError({ name: 'report', pointer: '/report' }, ['reporter'], errors)).toMatchObject({
      message: 'report.xml: <report> is missing <reporter> (line 2, column 4)',
      pointer: 'report.xml#/report/reporter',
      details: { missing: ['reporter'] },
    });
  });
});
