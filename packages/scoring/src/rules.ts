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
  })
  .superRefine((rules, context) => {
    if (!(rules.tiers.P1 > rules.tiers.P2 && rules.tiers.P2 > rules.tiers.P3)) {
      context.addIssue({
        code: 'custom',
        path: ['tiers'],
        message: 'thresholds must fall from P1 to P3 (P1 > P2 > P3)',
      });
    }
  });

type RulesFile = z.infer<typeof rulesFileSchema>;

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
  const { version, homeCountry, tiers, halfLifeDays, weights } = parsed.data;
  return Object.freeze({
    version,
    ruleVersion: `${version}+${digest.slice(0, 8)}`,
    homeCountry,
    tiers,
    halfLifeDays,
    weights,
  });
}
