import { errorCatalogue } from './codes.ts';
import type { TriageError } from './triage-error.ts';

/** RFC 9457 problem details; `code` is the catalogue code. Never carries a stack trace. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  instance?: string;
  pointer?: string;
}

/** Problem type URIs are identifiers (URNs), not links to pages. */
export const problemTypeBase = 'urn:triage:problem:';

export function toProblem(error: TriageError, instance?: string): ProblemDetails {
  return {
    type: `${problemTypeBase}${error.code}`,
    title: errorCatalogue[error.code].title,
    status: error.status,
    code: error.code,
    detail: error.message,
    ...(instance === undefined ? {} : { instance }),
    ...(error.pointer === undefined ? {} : { pointer: error.pointer }),
  };
}
