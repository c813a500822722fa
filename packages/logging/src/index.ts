export { type CreateLoggerOptions, createLogger, type Logger } from './create-logger.ts';
export { personalDataKeys, redactedMarker, redactPersonalData } from './redact.ts';
