import { describe, expect, it } from 'vitest';
import { defaultRules, evidence, file } from '../testing/evidence-builder.ts';
import { industryClassification, productionIndicators } from './production.ts';

describe('productionIndicators', () => {
  it('Given infant and possibleSelfProduction on two files, When weighed, Then the stronger counts and both are named', () => {
    const items = [
      file(0, { fileAnnotations: ['possibleSelfProduction'] }),
      file(1, { fileAnnotations: ['infant', 'viral'] }),
    ];
    expect(productionIndicators(evidence({ items }), defaultRules)).toEqual({
      contribution: 18,
      field: 'items[].item.fileAnnotations',
      value: 'infant, possibleSelfProduction',
    });
  });
  it.each([
    ['possibleSelfProduction', 15],
    ['liveStreaming', 18],
    ['physicalHarm', 18],
  ])('Given %s, When weighed, Then it adds %d', (flag, points) => {
    expect(
      productionIndicators(evidence({ items: [file(0, { fileAnnotations: [flag] })] }), defaultRules)
        ?.contribution,
    ).toBe(points);
  });
  it('Given only other file annotations, When weighed, Then it does not apply', () => {
    expect(
      productionIndicators(
        evidence({ items: [file(0, { fileAnnotations: ['viral', 'generativeAi'] })] }),
        defaultRules,
      ),
    ).toBeNull();
  });
});

describe('industryClassification', () => {
  it('Given files classified B2, A1 and B1, When weighed, Then A1 (weighs most) speaks', () => {
    const items = [
      file(0, { industryClassification: 'B2' }),
      file(1, { industryClassification: 'A1' }),
      file(2, { industryClassification: 'B1' }),
    ];
    expect(industryClassification(evidence({ items }), defaultRules)).toEqual({
      contribution: 10,
      field: 'items[].item.industryClassification',
      value: 'A1',
    });
  });
  it('Given only B2, When weighed, Then it adds the smallest classification weight', () => {
    expect(
      industryClassification(evidence({ items: [file(0, { industryClassification: 'B2' })] }), defaultRules)
        ?.contribution,
    ).toBe(2);
  });
  it('Given no classification or UNKNOWN, When weighed, Then it does not apply', () => {
    expect(
      industryClassification(
        evidence({ items: [file(0), file(1, { industryClassification: 'UNKNOWN' })] }),
        defaultRules,
      ),
    ).toBeNull();
  });
});
