import { batched, contentNovelty, knownCategories, viralContent } from './content.ts';
import type { Factor } from './factor.ts';
import { homeJurisdiction } from './jurisdiction.ts';
import { industryClassification, productionIndicators } from './production.ts';
import { incidentRecency, ipEventRecency } from './recency.ts';
import { linkedReports, priorReports } from './repeat-suspect.ts';
import {
  escalation,
  incidentType,
  informational,
  ncmecPriority1,
  reportAnnotations,
  victimPresent,
} from './victim-risk.ts';

/**
 * Every factor of the score by its id (the `factor` of a reason). Each reads its weight from the
 * rules' `weights` under the same name in camelCase.
 */
export const factors: Readonly<Record<string, Factor>> = {
  escalation,
  ncmec_priority_1: ncmecPriority1,
  incident_type: incidentType,
  victim_present: victimPresent,
  report_annotations: reportAnnotations,
  informational,
  content_novelty: contentNovelty,
  known_category: knownCategories,
  production_indicator: productionIndicators,
  industry_classification: industryClassification,
  home_jurisdiction: homeJurisdiction,
  prior_reports: priorReports,
  linked_reports: linkedReports,
  incident_recency: incidentRecency,
  ip_event_recency: ipEventRecency,
  viral_content: viralContent,
  batched,
};
