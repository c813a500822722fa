export { type ErrorCode, errorCatalogue, errorCodes } from './codes.ts';
export { type ProblemDetails, problemTypeBase, toProblem } from './problem.ts';
export { isTriageError, TriageError, type TriageErrorOptions, toTriageError } from './triage-error.ts';
