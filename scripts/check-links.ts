// `node scripts/check-links.ts` (run by scripts/test.sh): every relative Markdown link and every
// doc path named in a comment resolves inside the repository (scripts/doc-links/find-broken-links.ts
// decides). Reads the tracked files; exits 1 and lists each broken reference.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { findBrokenLinks, formatLinkProblem, type RepositoryFile } from './doc-links/find-broken-links.ts';

const root = new URL('..', import.meta.url);
const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' })
  .split('\0')
  .filter((path) => path !== '');
const read = /\.(?:md|[cm]?ts|[cm]?js|sh|ya?ml|properties|json)$|^\.ci\/run$/;
// Generated and vendored texts name nothing of ours.
const skipped =
  /^(?:docs\/openapi\/|packages\/schemas\/src\/generated\/|packages\/bundles\/src\/xml\/generated\/)|(?:^|\/)pnpm-lock\.yaml$/;

const files: RepositoryFile[] = tracked
  .filter((path) => read.test(path) && !skipped.test(path))
  .map((path) => ({ path, text: readFileSync(new URL(path, root), 'utf8') }));
const problems = findBrokenLinks({ files, paths: tracked });
for (const problem of problems) console.error(formatLinkProblem(problem));
if (problems.length > 0) {
  console.error(`links: ${problems.length} broken reference(s) in ${files.length} files`);
  process.exit(1);
}
console.log(`links: ${files.length} files, every Markdown link and doc path resolves`);
