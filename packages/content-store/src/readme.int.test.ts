// The README's API example runs against this code (it writes to a temp folder).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const dir = mkdtempSync(path.join(tmpdir(), 'content-store-readme-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('README', () => {
  it('has an API example that runs (its asserts hold against this code)', async () => {
    const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toContain("from '@triage/content-store'");
    const entry = pathToFileURL(path.join(import.meta.dirname, 'index.ts')).href;
    const file = path.join(dir, 'example.ts');
    writeFileSync(file, block!.replace("'@triage/content-store'", JSON.stringify(entry)));
    await expect(import(pathToFileURL(file).href)).resolves.toBeDefined();
  });
});
