import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TriageError } from '@triage/errors';
import { z } from 'zod';

const weight = z.number().finite().min(-1000).max(1000);
const incidentTypes = [
  'CHILD_PORNOGRAPHY',
  'CHILD_SEX_TRAFFICKING',
  'CHILD_SEX_TOURISM',
  'CHILD_SEXUAL_MOLESTATION',
  'MISLEADING_DOMAIN_NAME',
  'MISLEADING_WORDS_OR_IMAGES',
  'ONLINE_ENTICEMENT',
  'UNSOLICITED_OBSCENE_MATERIAL',
  'UNKNOWN',
] as const;
const classifications = ['A1', 'A2', 'B1', 'B2'] as const;

/**
 * When a floor applies: every key given must hold (and), at least one key. Each key reads one
 * report field as the report states it, so a floor never depends on another factor's weight.
 */
const floorConditionSchema = z
  .strictObject({
    escalated: z
      .literal(true)
      .optional()
      .describe('report.escalateToHighPriority has text (the company asked for high priority)'),
    incidentTypes: z
      .array(z.enum(incidentTypes))
      .min(1)
      .optional()
      .describe('report.incidentType is one of these'),
    ncmecPriority: z.number().int().optional().describe("report.ncmecPriority is this level (NCMEC's own)"),
    victimRecorded: z
      .literal(true)
      .optional()
      .describe('report.victims names at least one victim (intended recipients do not count)'),
  })
  .refine((when) => Object.keys(when).length > 0, 'name at least one condition');

/** A floor: whatever the score, a report the condition holds for is at least this tier. */
const floorSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_]{0,59}$/, 'snake_case, e.g. escalated_contact_offence'),
  description: z.string().optional(),
  tier: z.enum(['P1', 'P2', 'P3']),
  when: floorConditionSchema,
});

/** The rules file: strict, so a misspelt key fails instead of silently weighing nothing. */
const rulesFileSchema = z
  .strictObject({
    version: z
      .string()
      .regex(/^[0-9A-Za-z.-]{1,40}$/, 'letters, digits, dots and dashes (a semver such as 1.2.0)'),
    description: z.string().optional(),
    homeCountry: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code such as NL'),
    tiers: z.strictObject({ P1: z.number().finite(), P2: z.number().finite(), P3: z.number().finite() }),
    halfLifeDays: z.strictObject({
      incident: z.number().positive().max(3650),
      ipEvent: z.number().positive().max(3650),
    }),
    weights: z.strictObject({
      escalation: weight,
      ncmecPriority1: weight,
      incidentType: z.partialRecord(z.enum(incidentTypes), weight),
      victimPresent: weight,
      reportAnnotations: z.record(z.string().min(1), weight),
      informational: weight,
      contentNovelty: z.strictObject({ new: weight, seen: weight, known: weight }),
      knownCategories: z.record(z.string().regex(/^\d+$/, 'a category number'), weight),
      productionIndicators: z.record(z.string().min(1), weight),
      industryClassification: z.partialRecord(z.enum(classifications), weight),
      homeJurisdiction: weight,
      priorReports: weight,
      linkedReports: weight,
      incidentRecency: weight,
      ipEventRecency: weight,
      viralContent: weight,
      batched: weight,
    }),
    // Required (may be empty): a copy of older rules must say that it means to have no floors.
    floors: z.array(floorSchema),
  })
  .superRefine((rules, context) => {
    if (!(rules.tiers.P1 > rules.tiers.P2 && rules.tiers.P2 > rules.tiers.P3)) {
      context.addIssue({
        code: 'custom',
        path: ['tiers'],
        message: 'thresholds must fall from P1 to P3 (P1 > P2 > P3)',
      });
    }
    const seen = new Set<string>();
    rules.floors.forEach((floor, index) => {
      if (seen.has(floor.name)) {
        context.addIssue({
          code: 'custom',
          path: ['floors', index, 'name'],
          message: `floor names must be unique (${floor.name} is given twice)`,
        });
      }
      seen.add(floor.name);
    });
  });

type RulesFile = z.infer<typeof rulesFileSchema>;

/** A tier floor of the rules file: its name, the lowest tier it allows, and when it applies. */
export type TierFloor = RulesFile['floors'][number];

/** A validated rules file and the version every score made with it records. */
export interface ScoringRules {
  /** The version the file declares, e.g. `1.0.0`. */
  readonly version: string;
  /** `version` + `+` + the first 8 hex digits of the file's sha256: any edit of the file changes it. */
  readonly ruleVersion: string;
  readonly homeCountry: string;
  /** Lowest score of each tier; below P3 is P4. */
  readonly tiers: RulesFile['tiers'];
  readonly halfLifeDays: RulesFile['halfLifeDays'];
  readonly weights: RulesFile['weights'];
  /** Tier floors, in file order: a report they apply to is at least their tier, whatever its score. */
  readonly floors: readonly TierFloor[];
}

/** Where the default rules live (shipped with the package). */
export const defaultRulesPath = fileURLToPath(new URL('../rules/default.json', import.meta.url));

/**
 * Reads and validates a rules file (default: `packages/scoring/rules/default.json`). A missing,
 * unreadable or invalid file is TRIAGE_CONFIG_INVALID whose pointer names the offending key.
 */
export function loadRules(path: string = defaultRulesPath): ScoringRules {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (cause) {
    throw new TriageError('TRIAGE_CONFIG_INVALID', `Cannot read scoring rules ${path}`, {
      cause,
      pointer: '',
    });
  }
  return parseRules(bytes, path);
}

/** Validates a rules file's bytes; `source` names it in errors. */
export function parseRules(bytes: Uint8Array, source: string): ScoringRules {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (cause) {
    throw new TriageError('TRIAGE_CONFIG_INVALID', `Scoring rules ${source} are not JSON`, {
      cause,
      pointer: '',
    });
  }
  const parsed = rulesFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const pointer = issue.path.map((part) => `/${String(part)}`).join('');
    throw new TriageError(
      'TRIAGE_CONFIG_INVALID',
      `Scoring rules ${source}: ${pointer || '/'}: ${issue.message}`,
      {
        pointer,
        details: { issues: parsed.error.issues.map((each) => ({ path: each.path, message: each.message })) },
      },
    );
  }
  const digest = createHash('sha256').update(bytes).digest('hex');
  const { version, homeCountry, tiers, halfLifeDays, weights, floors } = parsed.data;
  return Object.freeze({
    version,
    ruleVersion: `${version}+${digest.slice(0, 8)}`,
    homeCountry,
    tiers,
    halfLifeDays,
    weights,
    floors,
  });
}
