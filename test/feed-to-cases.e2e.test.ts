// Issue 5's "Done when" end to end: a generated feed with ground truth through intake, splitter,
// hasher (both groups), enricher and scorer on the real broker. Every report's latest case has its
// intended tier with explained reasons and its repeat-suspect links; a fresh scorer group, and one
// with empty state, replay the same inputs into identical cases; a second rules file with one
// weight changed rescores and records its rule version.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createEnricherService, type EnricherService } from '@triage/enricher/service';
import { NetworkEnricher } from '@triage/enrichment';
import type { GroundTruth } from '@triage/feed';
import { allTopics, bootstrapTopics, type KafkaConnection, pipelineTopics } from '@triage/messaging';
import { kafkaTest } from '@triage/messaging/testing/fixtures';
import type { Case } from '@triage/schemas';
import { createScorerService, type ScorerService } from '@triage/scorer/service';
import { testIdentifierKeys } from '@triage/scorer/testing';
import {
  defaultRulesPath,
  factors,
  higherTier,
  isFloorReason,
  loadRules,
  type ScoringRules,
  tierOf,
} from '@triage/scoring';
import { expect } from 'vitest';
import { copyTopics, settledCases, topicEnd } from './support/cases.ts';
import {
  generateTruthFeed,
  importDemoList,
  pushFeed,
  startUpstream,
  type Upstream,
} from './support/feed-pipeline.ts';
import { codec, logger } from './support/pipeline.ts';

// Seed 228 draws all fifteen scenarios in 32 reports, 95 files, among them three escalated
// victim-risk reports abroad (P1 by a floor) and one that is not (P2). JSON, because only the JSON
// manifest carries the `informational` annotation and the NCMEC priority.
const feedOptions = { seed: 228, reports: 32, maxFiles: 30, format: 'json' } as const;

/** The scenarios where a floor meets every dampener: P1 although the score alone is below it (issue 9 part 5). */
const flooredScenarios = {
  'enticement-escalated-batched': 'floor:escalated_contact_offence',
  'ncmec-priority-1-informational': 'floor:ncmec_priority_1',
  'victim-escalated-csam-batched': 'floor:victim_at_immediate_risk',
} as const;

type TruthReport = GroundTruth['reports'][number];
type TruthReason = TruthReport['reasons'][number];

const reasonOf = (value: Case, factor: string) => value.reasons.find((reason) => reason.factor === factor);
const has = (value: Case, factor: string) => reasonOf(value, factor) !== undefined;
/** `new`, `seen` or `known`: what content_novelty says (the newest content of the report decides). */
const noveltyOf = (value: Case) => reasonOf(value, 'content_novelty')?.value?.split(':')[0];

/** The incident types docs/domain.md counts as victim risk (the feed's `victimRiskIncident`). */
const victimRiskIncidents = new Set([
  'ONLINE_ENTICEMENT',
  'CHILD_SEX_TRAFFICKING',
  'CHILD_SEXUAL_MOLESTATION',
]);

/** A case's tier as the rules make it: its score's tier, raised by every floor its reasons name. */
const tierOfCase = (value: Case, rules: ScoringRules) =>
  value.reasons
    .filter(isFloorReason)
    .map((reason) => rules.floors.find((floor) => `floor:${floor.name}` === reason.factor)!.tier)
    .reduce(higherTier, tierOf(value.score, rules));

const isSeen = (novelty: string | undefined) => novelty === 'seen' || novelty === 'near_duplicate';

interface TruthContext {
  /** The report's content shared with other reports was seen here first (see `reflects`). */
  carriedFirst(reportId: string): boolean;
}

function truthContext(truth: GroundTruth, cases: ReadonlyMap<string, Case>): TruthContext {
  const novelty = new Map(
    [...cases.values()].flatMap((value) => value.items.map((item) => [item.itemId, item.novelty] as const)),
  );
  const reportOf = (itemId: string) => itemId.slice(0, itemId.lastIndexOf('/'));
  const content = truth.items.filter((item) => item.origin !== 'text');
  const sharing = (item: (typeof content)[number]) =>
    content.filter(
      (other) =>
        reportOf(other.itemId) !== reportOf(item.itemId) &&
        (other.sha256 === item.sha256 || (item.family !== null && other.family === item.family)),
    );
  return {
    carriedFirst(reportId) {
      const shared = content.filter((item) => reportOf(item.itemId) === reportId && sharing(item).length > 0);
      return (
        shared.length > 0 &&
        shared.every((item) => sharing(item).every((other) => isSeen(novelty.get(other.itemId))))
      );
    },
  };
}

/**
 * How each ground-truth reason (the feed's `assessTier`, a rule table on the report's facts) shows
 * in a case (the scorer's additive factors). The two are different models of the same facts, so a
 * reason maps to the factor that carries its fact, never to a score:
 *
 * | ground truth | case |
 * | --- | --- |
 * | floor_escalated_contact_offence, floor_ncmec_priority_1, floor_victim_at_immediate_risk | the floor's reason `floor:<name>` |
 * | escalation | `escalation` |
 * | victim_risk_incident | `incident_type` naming enticement, trafficking or molestation |
 * | sextortion | `report_annotations` naming sextortion |
 * | victim_present | `victim_present` |
 * | home_jurisdiction | `home_jurisdiction` |
 * | new_content | `content_novelty` = new |
 * | known_content | `known_category` (the list's category of the matched content) |
 * | seen_content | `content_novelty` = seen, or (new content outranks it) = new with an item seen or near_duplicate; or the report carried the shared content first (below) |
 * | production_indicator | `production_indicator` |
 * | repeat_suspect | `prior_reports` or `linked_reports` |
 * | batched_viral | `batched` and `viral_content` |
 * | informational | `informational` |
 * | no_home_link | no `home_jurisdiction` |
 * | no_victim | no `victim_present` |
 * | no_priority_factor | none of escalation, victim_present, home_jurisdiction, production_indicator, prior_reports, linked_reports, and content not new |
 *
 * Seen content is symmetric in the ground truth (the same bytes or family in any other report) but
 * arrives in order in a pipeline: the report whose copy the hasher saw first cannot know the later
 * ones, so its items are `new` and its cases are not re-scored when the later reports come. Such a
 * report counts as showing seen_content when every other report's copy of its shared content is
 * `seen` or `near_duplicate` in their cases, i.e. the pipeline did find the sharing, from the other side.
 */
const reflects: Record<TruthReason, (value: Case, context: TruthContext) => boolean> = {
  floor_escalated_contact_offence: (value) => has(value, 'floor:escalated_contact_offence'),
  floor_ncmec_priority_1: (value) => has(value, 'floor:ncmec_priority_1'),
  floor_victim_at_immediate_risk: (value) => has(value, 'floor:victim_at_immediate_risk'),
  escalation: (value) => has(value, 'escalation'),
  victim_risk_incident: (value) => victimRiskIncidents.has(reasonOf(value, 'incident_type')?.value ?? ''),
  sextortion: (value) => reasonOf(value, 'report_annotations')?.value?.includes('sextortion') === true,
  victim_present: (value) => has(value, 'victim_present'),
  home_jurisdiction: (value) => has(value, 'home_jurisdiction'),
  new_content: (value) => noveltyOf(value) === 'new',
  known_content: (value) => has(value, 'known_category'),
  seen_content: (value, context) =>
    noveltyOf(value) === 'seen' ||
    (noveltyOf(value) === 'new' && value.items.some((item) => isSeen(item.novelty))) ||
    context.carriedFirst(value.reportId),
  production_indicator: (value) => has(value, 'production_indicator'),
  repeat_suspect: (value) => has(value, 'prior_reports') || has(value, 'linked_reports'),
  batched_viral: (value) => has(value, 'batched') && has(value, 'viral_content'),
  informational: (value) => has(value, 'informational'),
  no_home_link: (value) => !has(value, 'home_jurisdiction'),
  no_victim: (value) => !has(value, 'victim_present'),
  no_priority_factor: (value) =>
    noveltyOf(value) !== 'new' &&
    ![
      'escalation',
      'victim_present',
      'home_jurisdiction',
      'production_indicator',
      'prior_reports',
      'linked_reports',
    ].some((factor) => has(value, factor)),
};

/** Report facts whose reason's factor must apply exactly when the fact holds. */
const factFactors: readonly [keyof TruthReport['facts'], TruthReason][] = [
  ['escalation', 'escalation'],
  ['victimRiskIncident', 'victim_risk_incident'],
  ['sextortion', 'sextortion'],
  ['victimPresent', 'victim_present'],
  ['homeJurisdiction', 'home_jurisdiction'],
  ['productionIndicator', 'production_indicator'],
  ['repeatSuspect', 'repeat_suspect'],
  ['batchedViral', 'batched_viral'],
  ['informational', 'informational'],
  ['ncmecPriority1', 'floor_ncmec_priority_1'],
];

/**
 * The ground truth's link kinds as the scorer's identifier types. `priorCTReport` links (a report
 * naming another report of the feed as an earlier CyberTipline report) are no shared identifier:
 * the naming report shows them as `prior_reports` (repeat_suspect above).
 */
const identifierTypes: Record<string, string | undefined> = {
  email: 'email',
  screenName: 'screenName',
  espIdentifier: 'espIdentifier',
  deviceId: 'deviceId',
  ipAddress: 'ip',
};

/** Every (report, linked report, identifier type) the ground truth expects on the cases. */
function expectedLinks(truth: GroundTruth): { reportId: string; linked: string; type: string }[] {
  return truth.repeatSuspectLinks.flatMap((link) => {
    const type = identifierTypes[link.kind];
    if (type === undefined) return [];
    return link.reportIds.flatMap((reportId) =>
      link.reportIds.filter((other) => other !== reportId).map((linked) => ({ reportId, linked, type })),
    );
  });
}

/** Every report has a final case with the ground truth's links (and, if given, this rule version). */
function settledFor(truth: GroundTruth, ruleVersion?: string) {
  const links = expectedLinks(truth);
  return (latest: ReadonlyMap<string, Case>) =>
    truth.reports.every((report) => {
      const value = latest.get(report.reportId);
      return (
        value !== undefined &&
        !value.provisional &&
        (ruleVersion === undefined || value.ruleVersion === ruleVersion)
      );
    }) &&
    links.every(({ reportId, linked, type }) =>
      latest
        .get(reportId)!
        .linkedReports.some((link) => link.reportId === linked && link.identifierType === type),
    );
}

/** A case as a replay must reproduce it: every field but `updatedAt`, the scorer's wall clock at emission. */
const replayable = ({ updatedAt: _updatedAt, ...rest }: Case) => rest;

/** One line per report for failure messages. */
const describeCase = (report: TruthReport, value: Case | undefined) =>
  `${report.reportId} ${report.scenario} (${report.reasons.join(', ')}): intended ${report.tier}, ` +
  (value === undefined
    ? 'no case'
    : `${value.tier} ${value.score} [${value.reasons.map((reason) => `${reason.factor} ${reason.contribution} (${reason.value})`).join('; ')}]`);

kafkaTest(
  'given a generated feed with ground truth, when it goes through intake, splitter, hasher, enricher and scorer, then every report gets its intended tier with reasons, replays give identical cases and a changed weight rescores',
  async ({ kafka }) => {
    const root = await mkdtemp(path.join(tmpdir(), 'e2e-cases-'));
    const out = path.join(root, 'feed');
    const rules = loadRules();
    const enricher = await NetworkEnricher.open({ homeCountry: rules.homeCountry, reloadIntervalMs: 0 });
    let upstream: Upstream | undefined;
    let enricherService: EnricherService | undefined;
    const scorers: ScorerService[] = [];
    const startScorer = async (connection: KafkaConnection, groupId: string, withRules: ScoringRules) => {
      const scorer = createScorerService({
        connection,
        codec,
        logger,
        groupId,
        rules: withRules,
        enricher,
        identifierKeys: testIdentifierKeys,
        provisionalEvery: 200,
        quietMs: 60_000,
        // One folder per group: a replay's fresh group starts from an empty store, as a new deployment would.
        stateDir: path.join(root, `scorer-state-${groupId}`),
      });
      scorers.push(scorer);
      await scorer.start();
      return scorer;
    };
    const stopScorers = async () => {
      for (const scorer of scorers.splice(0)) await scorer.stop();
    };
    try {
      const truth = await generateTruthFeed({ ...feedOptions, out });
      expect(new Set(truth.reports.map((report) => report.scenario)).size).toBe(15);
      await kafka.createTopics(allTopics);
      await importDemoList(kafka.connection, out);
      upstream = await startUpstream(kafka.connection, root, truth);
      enricherService = createEnricherService({
        connection: kafka.connection,
        codec,
        logger,
        groupId: 'enricher-e2e',
        enricher,
      });
      await enricherService.start();
      await startScorer(kafka.connection, 'scorer-e2e', rules);
      await pushFeed(upstream.intake, out, truth);

      // The latest case per report once every report is final and the ground truth's links are in.
      const settled = settledFor(truth);
      const cases = await settledCases(kafka.connection, settled);
      const byReport = new Map(truth.reports.map((report) => [report.reportId, report]));
      expect([...cases.keys()].filter((reportId) => !byReport.has(reportId))).toEqual([]);
      const missing = truth.reports.filter((report) => cases.get(report.reportId)?.provisional !== false);
      expect(missing.map((report) => describeCase(report, cases.get(report.reportId)))).toEqual([]);

      // Every report's tier is the ground truth's, exactly (floors included on both sides).
      const misses = truth.reports.filter((report) => cases.get(report.reportId)!.tier !== report.tier);
      expect.soft(misses.map((report) => describeCase(report, cases.get(report.reportId)))).toEqual([]);
      // Dampener meets floor: each such report is P1 with its floor while its score alone is not.
      const dampened = truth.reports.filter((report) => report.scenario in flooredScenarios);
      expect(new Set(dampened.map((report) => report.scenario)).size).toBe(3);
      for (const report of dampened) {
        const value = cases.get(report.reportId)!;
        const floor = flooredScenarios[report.scenario as keyof typeof flooredScenarios];
        expect(
          { tier: value.tier, floor: has(value, floor), scoreBelowP1: value.score < rules.tiers.P1 },
          describeCase(report, value),
        ).toEqual({ tier: 'P1', floor: true, scoreBelowP1: true });
      }
      // The floors of each case are exactly the ground truth's (every floor that applies is listed on both sides).
      const floorsDiffer = truth.reports.flatMap((report) => {
        const value = cases.get(report.reportId)!;
        const expected = report.reasons.filter((reason) => reason.startsWith('floor_'));
        const actual = value.reasons.filter(isFloorReason).map((reason) => reason.factor.replace(':', '_'));
        return JSON.stringify(actual.sort()) === JSON.stringify(expected.sort())
          ? []
          : [describeCase(report, value)];
      });
      expect.soft(floorsDiffer).toEqual([]);

      for (const report of truth.reports) {
        const value = cases.get(report.reportId)!;
        expect(value, report.reportId).toMatchObject({
          version: 1,
          ruleVersion: rules.ruleVersion,
          itemsExpected: report.fileCount + report.urlCount,
          itemsSeen: report.fileCount + report.urlCount,
        });
        // Reasons: each a known factor or floor naming its input field; the factors make the
        // score, the floors (contribution 0) can only raise its tier.
        expect(value.reasons.length, report.reportId).toBeGreaterThan(0);
        for (const reason of value.reasons) {
          expect(reason.field, `${report.reportId} ${reason.factor}`).toMatch(/\S/);
          if (isFloorReason(reason)) {
            expect(rules.floors.map((floor) => `floor:${floor.name}`)).toContain(reason.factor);
            expect(reason.contribution, `${report.reportId} ${reason.factor}`).toBe(0);
            continue;
          }
          expect(Object.keys(factors), report.reportId).toContain(reason.factor);
          expect(reason.contribution, `${report.reportId} ${reason.factor}`).not.toBe(0);
        }
        const sum = value.reasons.reduce((total, reason) => total + reason.contribution, 0);
        expect(Math.abs(sum - value.score), report.reportId).toBeLessThan(0.01);
        expect(value.tier, report.reportId).toBe(tierOfCase(value, rules));
      }

      // The ground truth's reasons show in the case's factors (the mapping above).
      const context = truthContext(truth, cases);
      const unreflected = truth.reports.flatMap((report) =>
        report.reasons
          .filter((reason) => !reflects[reason](cases.get(report.reportId)!, context))
          .map((reason) => `${reason}: ${describeCase(report, cases.get(report.reportId))}`),
      );
      expect.soft(unreflected).toEqual([]);

      // Repeat suspects: every identifier link of the ground truth, both ways, with its type.
      const links = expectedLinks(truth);
      expect(links.length).toBeGreaterThan(0);
      const unlinked = links.filter(
        ({ reportId, linked, type }) =>
          !cases
            .get(reportId)!
            .linkedReports.some((link) => link.reportId === linked && link.identifierType === type),
      );
      expect.soft(unlinked).toEqual([]);
      // And no link the ground truth lacks: no two reports share an identifier it does not know of.
      const strangers = truth.reports.flatMap((report) =>
        cases
          .get(report.reportId)!
          .linkedReports.filter(
            (link) =>
              !links.some(
                (expected) =>
                  expected.reportId === report.reportId &&
                  expected.linked === link.reportId &&
                  expected.type === link.identifierType,
              ),
          )
          .map((link) => `${report.reportId} -> ${link.reportId} (${link.identifierType})`),
      );
      expect.soft(strangers).toEqual([]);

      // The report facts that are not about content (the pipeline sees content in arrival order,
      // above) hold exactly when their factor applied.
      const disagreeing = truth.reports.flatMap((report) =>
        factFactors
          .filter(
            ([fact, reason]) => report.facts[fact] !== reflects[reason](cases.get(report.reportId)!, context),
          )
          .map(
            ([fact]) => `${fact}=${report.facts[fact]}: ${describeCase(report, cases.get(report.reportId))}`,
          ),
      );
      expect.soft(disagreeing).toEqual([]);

      // Replay 1: a fresh group on the same deployment (state restored from the changelogs, both
      // inputs re-read from the start) writes the same cases.
      await stopScorers();
      await enricherService.stop();
      enricherService = undefined;
      await upstream.stop();
      upstream = undefined;
      let from = await topicEnd(kafka.connection, pipelineTopics.cases);
      const replayStart = Date.now();
      await startScorer(kafka.connection, 'scorer-e2e-replay', rules);
      const replayed = await settledCases(kafka.connection, settled, { from });
      await stopScorers();
      for (const report of truth.reports) {
        const value = replayed.get(report.reportId);
        expect(value && replayable(value), report.reportId).toEqual(replayable(cases.get(report.reportId)!));
        // updatedAt is the scorer's wall clock when it wrote the case, not a time from the input.
        expect(value!.updatedAt, report.reportId).toBeGreaterThanOrEqual(replayStart);
      }

      // Replay 2: empty state. Another deployment (no changelogs, no identifier table) gets a
      // byte-for-byte copy of reports.v1 and items.enriched.v1, and a fresh group scores it.
      const empty: KafkaConnection = {
        ...kafka.connection,
        topicPrefix: `${kafka.connection.topicPrefix}replay.`,
      };
      await bootstrapTopics({ connection: empty, topics: allTopics, replicationFactor: 1 });
      const copied = await copyTopics(kafka.connection, empty, [
        pipelineTopics.reports,
        pipelineTopics.itemsEnriched,
      ]);
      expect(copied).toBeGreaterThanOrEqual(
        truth.reports.length + truth.reports.reduce((n, r) => n + r.fileCount + r.urlCount, 0),
      );
      await startScorer(empty, 'scorer-e2e-fresh', rules);
      const rebuilt = await settledCases(empty, settled);
      await stopScorers();
      for (const report of truth.reports) {
        const value = rebuilt.get(report.reportId);
        expect(value && replayable(value), report.reportId).toEqual(replayable(cases.get(report.reportId)!));
      }

      // A second rules file: one weight changed (home jurisdiction 25 -> 35) and the version
      // bumped. A fresh group rescores every report with it.
      const rulesFile = path.join(root, 'rules-home-35.json');
      const json = JSON.parse(await readFile(defaultRulesPath, 'utf8'));
      const before = json.weights.homeJurisdiction as number;
      json.version = `${json.version}-e2e`;
      json.weights.homeJurisdiction = before + 10;
      await writeFile(rulesFile, JSON.stringify(json, null, 2));
      const second = loadRules(rulesFile);
      expect(second.ruleVersion).not.toBe(rules.ruleVersion);
      expect(second.ruleVersion.startsWith(`${json.version}+`)).toBe(true);
      from = await topicEnd(empty, pipelineTopics.cases);
      await startScorer(empty, 'scorer-e2e-rules', second);
      const rescored = await settledCases(empty, settledFor(truth, second.ruleVersion), { from });
      await stopScorers();
      const affected = truth.reports.filter((report) =>
        has(cases.get(report.reportId)!, 'home_jurisdiction'),
      );
      expect(affected.length).toBeGreaterThan(0);
      expect(affected.length).toBeLessThan(truth.reports.length);
      for (const report of truth.reports) {
        const old = cases.get(report.reportId)!;
        const value = rescored.get(report.reportId)!;
        expect(value.ruleVersion, report.reportId).toBe(second.ruleVersion);
        const home = has(old, 'home_jurisdiction');
        expect(value.score - old.score, report.reportId).toBeCloseTo(home ? 10 : 0, 6);
        expect(reasonOf(value, 'home_jurisdiction')?.contribution, report.reportId).toBe(
          home ? before + 10 : undefined,
        );
        expect(value.tier, report.reportId).toBe(tierOfCase(value, second));
      }
    } catch (error) {
      if (upstream) logger.error({ intake: upstream.intake.output().slice(-4000) }, 'intake output');
      throw error;
    } finally {
      await stopScorers();
      await enricherService?.stop();
      await upstream?.stop();
      await enricher.close();
      await rm(root, { recursive: true, force: true });
    }
  },
);
