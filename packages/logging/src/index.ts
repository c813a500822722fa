export { type CreateLoggerOptions, createLogger, type Logger } from './create-logger.ts';
export {
  isPersonalDataKey,
  personalDataKeys,
  personalDataSuffixes,
  redactedMarker,
  redactPersonalData,
} from './redact.ts';
