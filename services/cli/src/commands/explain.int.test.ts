// `triage explain` as an operator runs it: a separate process, its JSON and exit code.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type GroundTruth, generateFeed } from '@triage/feed';
import type { Case } from '@triage/schemas';
import { defaultRulesPath, loadRules, type TierFloor } from '@triage/scoring';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.ts';

const ncmec = fileURLToPath(new URL('../../../../../shared/data/ncmec/', import.meta.url));

interface Explained {
  scope: { dedupe: string; links: string; enrichment: string[]; knownLists: number };
  ruleVersion: string;
  floors: TierFloor[];
  cases: Case[];
}

async function explain(...args: string[]): Promise<{ json: Explained & { code?: string }; code: number }> {
  const { stdout, code } = await runCli(['explain', ...args], { maxBuffer: 64 * 1024 * 1024 });
  return { json: JSON.parse(stdout), code };
}

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'cli-explain-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe("triage explain on NCMEC's §6.1 example report", () => {
  const report = path.join(ncmec, 'ncmec-doc-6.1-report.xml');

  it('Given the example report, When explained, Then its case has score, tier and the reasons naming fields and values', async () => {
    const { json, code } = await explain(report, '--now', '2026-11-28T12:00:00Z');
    expect(code).toBe(0);
    expect(json.ruleVersion).toBe(loadRules().ruleVersion);
    expect(json.cases).toHaveLength(1);
    const [only] = json.cases;
    expect(only).toMatchObject({ tier: 'P3', ruleVersion: json.ruleVersion, provisional: false });
    expect(only!.reasons).toEqual([
      {
        factor: 'report_annotations',
        field: 'report.reportAnnotations',
        value: 'csamSolicitation, sadisticOnlineExploitation, sextortion, spam',
        contribution: 18,
      },
      { factor: 'incident_type', field: 'report.incidentType', value: 'CHILD_PORNOGRAPHY', contribution: 5 },
    ]);
    // The 2012 incident has decayed to nothing at 30-day half-lives.
    expect(only!.score).toBe(23);
    expect(only!.items).toEqual([
      expect.objectContaining({ kind: 'url', url: 'http://badsite.com/baduri.html' }),
    ]);
  });

  it('Given the example turned into an escalated enticement, When explained, Then its spam flag and 2012 incident leave the score at P2 and the escalated_contact_offence floor holds it at P1', async () => {
    const xml = (await readFile(report, 'utf8')).replace(
      /<incidentType>[^<]*<\/incidentType>/,
      '<incidentType>Online Enticement of Children for Sexual Acts</incidentType>\n' +
        '        <escalateToHighPriority>Meeting planned; the child may be at risk.</escalateToHighPriority>',
    );
    const escalated = path.join(scratch, 'escalated-6.1.xml');
    await writeFile(escalated, xml);
    const { json, code } = await explain(escalated, '--now', '2026-11-28T12:00:00Z');
    expect(code).toBe(0);
    expect(json.floors.map((floor) => floor.name)).toEqual(loadRules().floors.map((floor) => floor.name));
    const [only] = json.cases;
    // escalation 40 + enticement 20 + annotations 18 (spam -20 among them); the incident has decayed.
    expect(only).toMatchObject({ score: 78, tier: 'P1' });
    expect(only!.reasons[0]).toEqual({
      factor: 'floor:escalated_contact_offence',
      field: 'report.escalateToHighPriority, report.incidentType',
      value: 'text given (42 characters), ONLINE_ENTICEMENT -> at least P1 (score alone: P2)',
      contribution: 0,
    });

    const floorless = path.join(scratch, 'rules-no-floors.json');
    const rules = JSON.parse(await readFile(defaultRulesPath, 'utf8'));
    await writeFile(floorless, JSON.stringify({ ...rules, floors: [] }));
    const without = await explain(escalated, '--rules', floorless, '--now', '2026-11-28T12:00:00Z');
    expect(without.json.floors).toEqual([]);
    expect(without.json.cases[0]).toMatchObject({ score: 78, tier: 'P2' });
    expect(without.json.cases[0]!.reasons.some((reason) => reason.factor.startsWith('floor:'))).toBe(false);
  });

  it('Given rules with one weight changed, When explained, Then the score and the recorded rule version change', async () => {
    const rulesFile = path.join(scratch, 'rules.json');
    const text = await readFile(defaultRulesPath, 'utf8');
    await writeFile(rulesFile, text.replace('"CHILD_PORNOGRAPHY": 5', '"CHILD_PORNOGRAPHY": 9'));
    const { json, code } = await explain(report, '--rules', rulesFile, '--now', '2026-11-28T12:00:00Z');
    expect(code).toBe(0);
    expect(json.cases[0]!.score).toBe(27);
    expect(json.ruleVersion).not.toBe(loadRules().ruleVersion);
    expect(json.cases[0]!.ruleVersion).toBe(json.ruleVersion);
  });

  it('Given an invalid rules file, When explained, Then it prints the problem and exits 1', async () => {
    const rulesFile = path.join(scratch, 'bad-rules.json');
    await writeFile(rulesFile, JSON.stringify({ version: '2', weights: {} }));
    const { json, code } = await explain(report, '--rules', rulesFile);
    expect(code).toBe(1);
    expect(json).toMatchObject({ code: 'TRIAGE_CONFIG_INVALID' });
  });
});

describe('triage explain on a generated feed', () => {
  let out: string;
  let truth: GroundTruth;
  let packages: string[];

  beforeAll(async () => {
    out = path.join(scratch, 'feed');
    // Seed 7762 draws every one of the fifteen scenarios in 36 reports.
    await generateFeed({ seed: 7762, reports: 36, out, format: 'json', maxFiles: 30, reportsPerBundle: 6 });
    truth = JSON.parse(await readFile(path.join(out, 'ground-truth.json'), 'utf8'));
    packages = (await readdir(path.join(out, 'bundles')))
      .sort()
      .map((name) => path.join(out, 'bundles', name));
  });

  const truthOf = (explained: Case) => {
    const found = truth.reports.find((report) => report.partnerReportId === explained.report.partnerReportId);
    if (!found) throw new Error(`no ground truth for ${explained.report.partnerReportId}`);
    return found;
  };
  const factorsOf = (explained: Case) => explained.reasons.map((reason) => reason.factor);
  it('Given every package at once, When explained, Then every report gets its intended tier, with reasons', async () => {
    const { json, code } = await explain(
      ...packages,
      '--known',
      path.join(out, 'known-hashes.csv'),
      '--now',
      truth.asOf,
    );
    expect(code).toBe(0);
    expect(json.cases).toHaveLength(truth.reports.length);
    expect(new Set(json.cases.map((each) => truthOf(each).scenario)).size).toBe(15);
    // The bundled offline IP data answers (home links shown only by an IP need it).
    expect(json.scope.enrichment).toEqual(
      expect.arrayContaining([expect.stringMatching(/^ip-location-db\/geo-whois-asn-country /)]),
    );
    const misses = json.cases.filter((each) => each.tier !== truthOf(each).tier);
    expect(misses.map((each) => `${truthOf(each).scenario} ${truthOf(each).tier} -> ${each.tier}`)).toEqual(
      [],
    );
    // The ground truth's floors are the case's, exactly (floor_<name> there, floor:<name> here).
    expect(json.cases.map((each) => factorsOf(each).filter((factor) => factor.startsWith('floor:')))).toEqual(
      json.cases.map((each) =>
        truthOf(each)
          .reasons.filter((reason) => reason.startsWith('floor_'))
          .map((reason) => reason.replace('floor_', 'floor:')),
      ),
    );
    // Dampener meets floor: P1 by the floor, the score alone below P1.
    const floors: Record<string, string> = {
      'enticement-escalated-batched': 'floor:escalated_contact_offence',
      'ncmec-priority-1-informational': 'floor:ncmec_priority_1',
      'victim-escalated-csam-batched': 'floor:victim_at_immediate_risk',
    };
    const floored = json.cases.filter((each) => truthOf(each).scenario in floors);
    expect(new Set(floored.map((each) => truthOf(each).scenario)).size).toBe(3);
    for (const each of floored) {
      expect([each.tier, each.score < loadRules().tiers.P1, factorsOf(each)[0]]).toEqual([
        'P1',
        true,
        floors[truthOf(each).scenario],
      ]);
    }
    for (const each of json.cases) expect(each.reasons.length).toBeGreaterThan(0);
  });

  it('Given one package at a time, When explained, Then the tiers differ only where the facts lie in another package', async () => {
    const limits: string[] = [];
    for (const target of packages) {
      const { json, code } = await explain(
        target,
        '--known',
        path.join(out, 'known-hashes.csv'),
        '--now',
        truth.asOf,
      );
      expect(code).toBe(0);
      for (const each of json.cases) {
        const expected = truthOf(each);
        if (each.tier === expected.tier) continue;
        // A repeat suspect linked only through reports in other packages, with no priorCTReports.
        const linkElsewhere =
          expected.scenario === 'repeat-suspect-chain' &&
          !factorsOf(each).includes('prior_reports') &&
          !factorsOf(each).includes('linked_reports');
        expect({ report: expected.reportId, scenario: expected.scenario, linkElsewhere }).toEqual({
          report: expected.reportId,
          scenario: 'repeat-suspect-chain',
          linkElsewhere: true,
        });
        limits.push(expected.reportId);
      }
    }
    // Seed 7762 puts every chain's reports in the same package or links them by priorCTReports.
    expect(limits).toEqual([]);
  });
});

describe('triage explain on single-report XML packages (what offline explain cannot see)', () => {
  let out: string;
  let truth: GroundTruth;

  beforeAll(async () => {
    out = path.join(scratch, 'feed-xml');
    // Seed 3605's XML feed has a near-duplicate cluster and a repeat-suspect chain. (An XML feed
    // draws no JSON-only scenario, so a seed plans another feed in XML than in JSON.)
    await generateFeed({ seed: 3605, reports: 36, out, format: 'xml', maxFiles: 30 });
    truth = JSON.parse(await readFile(path.join(out, 'ground-truth.json'), 'utf8'));
  });

  const reportsOf = (scenario: string) => truth.reports.filter((report) => report.scenario === scenario);
  const explainAlone = async (pkg: string) => {
    const { json, code } = await explain(
      path.join(out, pkg),
      '--known',
      path.join(out, 'known-hashes.csv'),
      '--now',
      truth.asOf,
    );
    expect(code).toBe(0);
    return json.cases[0]!;
  };

  it('Given a near-duplicate cluster report alone, When explained, Then its content looks new, yet the tier stays P3', async () => {
    const cluster = reportsOf('near-duplicate-cluster');
    expect(cluster.length).toBeGreaterThan(1);
    for (const report of cluster) {
      const alone = await explainAlone(report.package);
      expect(alone.tier).toBe(report.tier);
      expect(alone.reasons.find((reason) => reason.factor === 'content_novelty')?.value).toMatch(/^new: /);
    }
  });

  it('Given a repeat-suspect report alone, When explained, Then only the ones linked solely through other reports drop to P3', async () => {
    const chain = reportsOf('repeat-suspect-chain');
    const dropped: string[] = [];
    for (const report of chain) {
      const alone = await explainAlone(report.package);
      const factors = alone.reasons.map((reason) => reason.factor);
      if (alone.tier === report.tier) continue;
      expect({
        tier: alone.tier,
        prior: factors.includes('prior_reports'),
        links: factors.includes('linked_reports'),
      }).toEqual({
        tier: 'P3',
        prior: false,
        links: false,
      });
      dropped.push(report.reportId);
    }
    // Seed 3605: one chain opens with a CSAM report whose suspect reappears only in later reports.
    expect(dropped).toHaveLength(1);
    const together = await explain(
      ...chain.map((report) => path.join(out, report.package)),
      '--known',
      path.join(out, 'known-hashes.csv'),
      '--now',
      truth.asOf,
    );
    expect(together.json.cases.map((each) => each.tier)).toEqual(chain.map((report) => report.tier));
  });
});
