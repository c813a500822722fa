import type { AuditRecordInput } from '@triage/audit';
import type { Principal } from '@triage/auth';
import type { AuditAction, AuditOutcome, AuditTarget } from '@triage/schemas';

/** What one audited request did, as the route knows it. */
export interface AuditFacts {
  action: AuditAction;
  target: AuditTarget;
  /** The request's query in its audited form (`describeQuery`), for searches. */
  query?: string | null;
  resultCount?: number | null;
  /** The justification the user gave (a reveal's reason, an action's note or override reason). */
  reason?: string | null;
  outcome: AuditOutcome;
}

/** The AuditEvent a request writes: the caller from its verified token, never from the request. */
export function auditEventFor(principal: Principal, requestId: string, facts: AuditFacts): AuditRecordInput {
  return {
    actor: principal.sub,
    role: principal.role,
    action: facts.action,
    target: facts.target,
    query: facts.query ?? null,
    resultCount: facts.resultCount ?? null,
    reason: facts.reason ?? null,
    requestId,
    outcome: facts.outcome,
  };
}

/**
 * Identifiers an analyst may type into the full-text box (the report text holds them): each is
 * replaced by its kind, so the audit says what was looked for without becoming a second copy of
 * the personal data. Order matters: URLs and e-mail addresses before handles and numbers.
 */
const identifierPatterns: readonly [RegExp, string][] = [
  [/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, '[url]'],
  [/\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g, '[email]'],
  [/\b(?:\d{1,3}\.){3}\d{1,3}\b/g, '[ip]'],
  [/\b(?=[0-9a-f:]*:[0-9a-f:]*:)[0-9a-f:]{6,}\b/gi, '[ip]'],
  [/\b(?:www\.)?[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|info|io|me|co|uk|de|fr|nl|ru|app|onion)\b\S*/gi, '[url]'],
  [/(?<![\w@])@[\w.]{2,}/g, '[handle]'],
  [/\+?\d[\d\s().-]{5,}\d/g, '[number]'],
];

/** The full-text query as the audit keeps it: the words, with identifiers replaced by their kind. */
export function redactQueryText(text: string): string {
  let redacted = text;
  for (const [pattern, replacement] of identifierPatterns) redacted = redacted.replace(pattern, replacement);
  return redacted.replace(/\s+/g, ' ').trim();
}

/**
 * A request's query as the audit keeps it: every parameter the analyst set, sorted, in
 * querystring form; filter values are codes (tiers, statuses, countries, partner ids, subjects,
 * dates) and kept, the free text `q` is redacted, the paging cursor is left out (it is only a
 * position). Null when nothing was set.
 */
export function describeQuery(query: Readonly<Record<string, unknown>>): string | null {
  const parts: string[] = [];
  for (const name of Object.keys(query).sort()) {
    if (name === 'cursor') continue;
    const value = query[name];
    if (value === undefined || value === null || value === '') continue;
    const values = (Array.isArray(value) ? value : [value]).map(String);
    const shown = name === 'q' ? values.map(redactQueryText) : values;
    parts.push(`${name}=${shown.join(',')}`);
  }
  return parts.length === 0 ? null : parts.join('&');
}
