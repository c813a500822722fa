import { describe, expect, it } from 'vitest';
import { findBrokenLinks, formatLinkProblem, type RepositoryFile } from './find-broken-links.ts';
import { headingAnchors, markdownLinks } from './markdown.ts';
import { sourceComments } from './source-comments.ts';

const architecture: RepositoryFile = {
  path: 'docs/architecture.md',
  text: '# Architecture\n\n## Flow\n\nSee [ADR 0001](adr/0001-kafka-client.md#decision).\n',
};
const adr: RepositoryFile = { path: 'docs/adr/0001-kafka-client.md', text: '# ADR 0001\n\n## Decision\n' };
const readme: RepositoryFile = {
  path: 'packages/messaging/README.md',
  text: 'Topics: [architecture](../../docs/architecture.md#flow), decided in `docs/adr/0001-kafka-client.md`.\n',
};
const source: RepositoryFile = {
  path: 'packages/messaging/src/topics.ts',
  text: "// Sized for one machine (docs/architecture.md, Flow; see README.md).\nexport const url = 'http://x//y.md';\n",
};

/** A repository whose every reference resolves, plus the files under test. */
function check(...extra: RepositoryFile[]) {
  const files = [architecture, adr, readme, source, ...extra];
  return findBrokenLinks({ files, paths: files.map((file) => file.path) });
}

describe('findBrokenLinks', () => {
  it('accepts links relative to the file, anchors of headings, and doc paths named from the root or a parent folder', () => {
    expect(check()).toEqual([]);
  });

  it('reports a Markdown link to a file that does not exist, relative to the linking file', () => {
    // Given a link that would exist relative to the repository root but not to the file
    const guide = { path: 'docs/guide.md', text: 'Read [the flow](docs/architecture.md).\n' };
    // When the repository is checked, then the link is reported
    expect(check(guide)).toEqual([
      { file: 'docs/guide.md', line: 1, reference: 'docs/architecture.md', kind: 'missing-file' },
    ]);
  });

  it('reports a link to a heading the target does not have', () => {
    const guide = { path: 'docs/guide.md', text: 'Read [the flow](architecture.md#scale).\n' };
    expect(check(guide)).toEqual([
      { file: 'docs/guide.md', line: 1, reference: 'architecture.md#scale', kind: 'missing-anchor' },
    ]);
  });

  it('reports a source comment naming a doc path that does not exist', () => {
    const stage = {
      path: 'services/scorer/src/stage.ts',
      text: "const a = 1;\n/**\n * Why: docs/adr/0009-relinks.md.\n */\nexport const b = a + '// docs/nowhere.md';\n",
    };
    expect(check(stage)).toEqual([
      {
        file: 'services/scorer/src/stage.ts',
        line: 3,
        reference: 'docs/adr/0009-relinks.md',
        kind: 'missing-file',
      },
    ]);
  });

  it('reports a reference outside the repository, in a link and in a comment', () => {
    const scoring = {
      path: 'packages/scoring/README.md',
      text: 'Factors from `../shared/docs/domain.md`; see [pdq](../../../shared/docs/pdq.md).\n',
    };
    const factor = {
      path: 'packages/scoring/src/factor.ts',
      text: '// Weights: /work/shared/docs/domain.md\n',
    };
    const problems = check(scoring, factor);
    expect(problems).toEqual([
      {
        file: 'packages/scoring/README.md',
        line: 1,
        reference: '../../../shared/docs/pdq.md',
        kind: 'outside-repository',
      },
      {
        file: 'packages/scoring/README.md',
        line: 1,
        reference: '../shared/docs/domain.md',
        kind: 'outside-repository',
      },
      {
        file: 'packages/scoring/src/factor.ts',
        line: 1,
        reference: '/work/shared/docs/domain.md',
        kind: 'outside-repository',
      },
    ]);
    expect(formatLinkProblem(problems[0]!)).toBe(
      'packages/scoring/README.md:1: ../../../shared/docs/pdq.md: points outside the repository; write what it needs into docs/',
    );
  });

  it('ignores URLs, code blocks and placeholders', () => {
    const guide = {
      path: 'docs/guide.md',
      text: '[site](https://example.org/a.md) `[x](missing.md)`\n```\n[y](gone.md)\n```\nName it `docs/adr/<NNNN>-<title>.md`.\n',
    };
    expect(check(guide)).toEqual([]);
  });
});

describe('markdown', () => {
  it('numbers repeated headings and drops punctuation and code marks as GitHub does', () => {
    expect([
      ...headingAnchors('# A `b`, c!\n## Trade-offs\n## Trade-offs\n```\n# not a heading\n```\n'),
    ]).toEqual(['a-b-c', 'trade-offs', 'trade-offs-1']);
  });

  it('reads inline links with titles, angle brackets and reference definitions', () => {
    expect(markdownLinks('[a](x.md "t") ![i](<y z.png>)\n[r]: ./w.md\n').map((link) => link.target)).toEqual([
      'x.md',
      'y z.png',
      './w.md',
    ]);
  });
});

describe('sourceComments', () => {
  it('finds comments with the parser, not in strings or regular expressions', () => {
    const text = "const re = /https?:\\/\\//;\nconst s = '// no';\n// yes\nlet t = 1; /* also */\n";
    expect(sourceComments('a.ts', text)).toEqual([
      { line: 3, text: '// yes' },
      { line: 4, text: '/* also */' },
    ]);
    expect(sourceComments('run.sh', 'echo "#x" # why\n')).toEqual([{ line: 1, text: '# why' }]);
    expect(sourceComments('a.png', '')).toBeUndefined();
  });
});
