import { describe, expect, it } from 'vitest';
import {
  defaultRules,
  evidence,
  file,
  knownFile,
  match,
  nearDuplicateFile,
  report,
  seenFile,
  textFile,
} from '../testing/evidence-builder.ts';
import { batched, contentNovelty, knownCategories, viralContent } from './content.ts';

describe('contentNovelty', () => {
  it('Given one new image among known ones, When weighed, Then the report counts as new content', () => {
    const found = contentNovelty(evidence({ items: [knownFile(0), file(1), knownFile(2)] }), defaultRules);
    expect(found).toEqual({
      contribution: 20,
      field: 'items[].matches, items[].dedupe',
      value: 'new: 1 of 3 content items',
    });
  });
  it('Given images another report carried (exactly or near), and no new one, When weighed, Then it is seen content', () => {
    const found = contentNovelty(
      evidence({ items: [seenFile(0), nearDuplicateFile(1), knownFile(2)] }),
      defaultRules,
    );
    expect(found).toMatchObject({ contribution: 10, value: 'seen: 2 of 3 content items' });
  });
  it('Given every image on a list, When weighed, Then known content lowers the score', () => {
    expect(contentNovelty(evidence({ items: [knownFile(0), knownFile(1)] }), defaultRules)).toMatchObject({
      contribution: -10,
      value: 'known: 2 of 2 content items',
    });
  });
  it('Given a near-duplicate neighbour inside the same report only, When weighed, Then the content is still new', () => {
    const first = file(0);
    const second = file(1);
    const neighbour = {
      ...second,
      dedupe: {
        ...second.dedupe!,
        nearDuplicateClusterId: first.item.sha256,
        nearestSha256: first.item.sha256,
        nearestDistance: 8,
      },
    };
    expect(contentNovelty(evidence({ items: [first, neighbour] }), defaultRules)?.value).toBe(
      'new: 2 of 2 content items',
    );
  });
  it('Given only a text file, When weighed, Then there is no content and the factor does not apply', () => {
    expect(contentNovelty(evidence({ items: [textFile(0)] }), defaultRules)).toBeNull();
  });
});

describe('knownCategories', () => {
  it('Given matches in categories 1 and 2, When weighed, Then category 1 (weighs most) speaks', () => {
    const items = [knownFile(0, 2), knownFile(1, 1), knownFile(2, 1)];
    expect(knownCategories(evidence({ items }), defaultRules)).toEqual({
      contribution: 4,
      field: 'items[].matches[].category',
      value: 'category 1 on 2 items',
    });
  });
  it('Given only non-pertinent matches (category 0), When weighed, Then they lower the score', () => {
    expect(knownCategories(evidence({ items: [knownFile(0, 0)] }), defaultRules)?.contribution).toBe(-5);
  });
  it('Given uncategorised matches or none, When weighed, Then it does not apply', () => {
    expect(
      knownCategories(evidence({ items: [{ ...file(0), matches: [match(null)] }] }), defaultRules),
    ).toBeNull();
    expect(knownCategories(evidence({ items: [file(0)] }), defaultRules)).toBeNull();
  });
});

describe('viralContent', () => {
  it('Given every content item marked viral or potentialMeme, When weighed, Then the full weight applies', () => {
    const items = [
      file(0, { fileAnnotations: ['viral', 'potentialMeme'] }),
      file(1, { fileAnnotations: ['potentialMeme'] }),
    ];
    expect(viralContent(evidence({ items }), defaultRules)).toEqual({
      contribution: -20,
      field: 'items[].item.fileAnnotations',
      value: 'viral or potentialMeme on 2 of 2 content items',
    });
  });
  it('Given a quarter of the content marked viral, When weighed, Then a quarter of the weight applies', () => {
    const items = [file(0, { fileAnnotations: ['viral'] }), file(1), file(2), file(3)];
    expect(viralContent(evidence({ items }), defaultRules)?.contribution).toBe(-5);
  });
  it('Given no viral marks, When weighed, Then it does not apply', () => {
    expect(viralContent(evidence({ items: [file(0)] }), defaultRules)).toBeNull();
  });
});

describe('batched', () => {
  it('Given a batched VIRAL_POTENTIAL_MEME report, When weighed, Then it lowers the score and names the reason', () => {
    expect(
      batched(
        evidence({ report: report({ batched: true, batchedReason: 'VIRAL_POTENTIAL_MEME' }) }),
        defaultRules,
      ),
    ).toEqual({
      contribution: -30,
      field: 'report.batched',
      value: 'VIRAL_POTENTIAL_MEME',
    });
  });
  it('Given a report that is not batched, When weighed, Then it does not apply', () => {
    expect(batched(evidence(), defaultRules)).toBeNull();
  });
});
