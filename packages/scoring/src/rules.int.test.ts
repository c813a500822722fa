import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultRulesPath, loadRules } from './rules.ts';

describe('loadRules', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('Given no path, When loaded, Then the shipped default rules load and their ruleVersion hashes the file bytes', async () => {
    const rules = loadRules();
    const digest = createHash('sha256')
      .update(await readFile(defaultRulesPath))
      .digest('hex');
    expect(rules.ruleVersion).toBe(`${rules.version}+${digest.slice(0, 8)}`);
  });

  it('Given a copy with one weight changed, When loaded, Then the rule version differs from the default', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'scoring-rules-'));
    dirs.push(dir);
    const copy = path.join(dir, 'rules.json');
    const text = (await readFile(defaultRulesPath, 'utf8')).replace('"escalation": 40', '"escalation": 45');
    await writeFile(copy, text);
    const changed = loadRules(copy);
    expect(changed.weights.escalation).toBe(45);
    expect(changed.ruleVersion).not.toBe(loadRules().ruleVersion);
  });

  it('Given a missing file, When loaded, Then TRIAGE_CONFIG_INVALID', () => {
    expect(() => loadRules('/nonexistent/rules.json')).toThrow(
      expect.objectContaining({ code: 'TRIAGE_CONFIG_INVALID' }),
    );
  });
});
