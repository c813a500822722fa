export {
  asTriageError,
  bearerChallenge,
  type FrameworkCodeMapping,
  type ProblemHandlingOptions,
  problemHandling,
  routerProblems,
} from './problem-handler.ts';
export { createProblemSchema, type ProblemSchemaOptions, problemResponse } from './problem-schema.ts';
export { type RequestLogOptions, requestLog } from './request-log.ts';
