// New versus known content (docs/domain.md): content on no list and in no other report may show ongoing
// abuse and unidentified victims; known, widely circulated content ranks lower.
import { type ContentNovelty, contentOf } from '../evidence.ts';
import { type Factor, outcome, plural } from './factor.ts';

/**
 * The newest content of the report decides: any new item gives `new`; else any item seen in
 * another report (exactly or as a near-duplicate) gives `seen`; else every item is known.
 */
export const contentNovelty: Factor = (evidence, rules) => {
  const content = contentOf(evidence);
  if (content.length === 0) return null;
  const count = (novelties: readonly ContentNovelty[]) =>
    content.filter((each) => novelties.includes(each.novelty)).length;
  const fresh = count(['new']);
  const seen = count(['seen', 'near_duplicate']);
  const level = fresh > 0 ? 'new' : seen > 0 ? 'seen' : 'known';
  const matching = level === 'new' ? fresh : level === 'seen' ? seen : content.length;
  return outcome(
    rules.weights.contentNovelty[level],
    'items[].matches, items[].dedupe',
    `${level}: ${matching} of ${plural(content.length, 'content item')}`,
  );
};

/** The known-list category of matched content that weighs most (VICS US: 1 CSAM, 2 exploitive, 0 non-pertinent). */
export const knownCategories: Factor = (evidence, rules) => {
  const weights = rules.weights.knownCategories;
  const categories = new Set(
    evidence.items.flatMap((each) =>
      each.matches.flatMap((match) => (match.category === null ? [] : [match.category])),
    ),
  );
  const weighted = [...categories].filter((category) => weights[String(category)] !== undefined);
  if (weighted.length === 0) return null;
  // The category that weighs most in absolute terms speaks for the report (ties: the lower number).
  const chosen = weighted.sort(
    (a, b) => Math.abs(weights[String(b)]!) - Math.abs(weights[String(a)]!) || a - b,
  )[0]!;
  const items = evidence.items.filter((each) =>
    each.matches.some((match) => match.category === chosen),
  ).length;
  return outcome(
    weights[String(chosen)]!,
    'items[].matches[].category',
    `category ${chosen} on ${plural(items, 'item')}`,
  );
};

/** Content the reporting company marked `viral` or `potentialMeme`, in proportion to the content so marked. */
export const viralContent: Factor = (evidence, rules) => {
  const content = contentOf(evidence);
  if (content.length === 0) return null;
  const viral = content.filter(({ item }) =>
    item.item.fileAnnotations.some((flag) => flag === 'viral' || flag === 'potentialMeme'),
  ).length;
  if (viral === 0) return null;
  return outcome(
    rules.weights.viralContent * (viral / content.length),
    'items[].item.fileAnnotations',
    `viral or potentialMeme on ${viral} of ${plural(content.length, 'content item')}`,
  );
};

/** A batched report (NCMEC batchedReport, e.g. VIRAL_POTENTIAL_MEME): one of many near-identical reports. */
export const batched: Factor = ({ report }, rules) =>
  report.batched ? outcome(rules.weights.batched, 'report.batched', report.batchedReason ?? 'batched') : null;
