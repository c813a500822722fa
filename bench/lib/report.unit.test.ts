import { describe, expect, it } from 'vitest';
import type { Machine } from './machine.ts';
import { parseSections, renderDocument, renderSection } from './report.ts';

const machine: Machine = { cpuModel: 'Test CPU', cores: 2, memoryGiB: 8, os: 'Linux 6 x64', node: 'v24.0.0' };
const order = [
  { name: 'alpha', title: 'Alpha suite' },
  { name: 'beta', title: 'Beta suite' },
];

function alphaSection(markdown: string, date = new Date('2026-01-02T03:04:05Z')) {
  return renderSection({
    name: 'alpha',
    title: 'Alpha suite',
    date,
    scale: 1,
    machine,
    facts: [{ name: 'Server', value: '1.2.3' }],
    markdown,
  });
}

describe('benchmarks document', () => {
  it('given a rendered section, when rendering the document, then it has the run table, the body and the index', () => {
    const doc = renderDocument({ order, sections: [alphaSection('| a | b |')] });
    expect(doc).toContain('## Alpha suite');
    expect(doc).toContain('| Command | `pnpm bench alpha` |');
    expect(doc).toContain('| Machine | Test CPU, 2 cores, 8.0 GiB RAM, Linux 6 x64, Node v24.0.0 |');
    expect(doc).toContain('| Server | 1.2.3 |');
    expect(doc).toContain('| Alpha suite | `pnpm bench alpha` | 2026-01-02 03:04 UTC |');
    expect(doc).toContain('| Beta suite | `pnpm bench beta` | not run yet |');
  });

  it('given a document, when parsing it back, then each section round-trips', () => {
    const section = alphaSection('body line 1\n\nbody line 2');
    const [parsed] = parseSections(renderDocument({ order, sections: [section] }));
    expect(parsed).toEqual(section);
  });

  it('given an old document with two sections, when one suite reruns, then the other section is kept verbatim', () => {
    const beta = {
      name: 'beta',
      date: '2025-12-01T00:00:00.000Z',
      content: '## Beta suite\n\nold beta numbers',
    };
    const old = renderDocument({ order, sections: [alphaSection('old alpha'), beta] });
    const kept = parseSections(old).filter((section) => section.name !== 'alpha');
    const fresh = alphaSection('new alpha', new Date('2026-02-01T00:00:00Z'));
    const doc = renderDocument({ order, sections: [fresh, ...kept] });
    expect(doc).toContain('new alpha');
    expect(doc).not.toContain('old alpha');
    expect(doc).toContain('old beta numbers');
    expect(doc.indexOf('## Alpha suite')).toBeLessThan(doc.indexOf('## Beta suite'));
  });

  it('given a reduced run, when rendering its section, then the command names the scale', () => {
    const section = renderSection({
      name: 'alpha',
      title: 'A',
      date: new Date(0),
      scale: 0.1,
      machine,
      facts: [],
      markdown: 'x',
    });
    expect(section.content).toContain('`pnpm bench alpha` with `BENCH_SCALE=0.1` (a reduced run)');
  });
});
