import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';
import { redactPersonalData } from './redact.ts';

export type { Logger } from 'pino';

export interface CreateLoggerOptions {
  name: string;
  level?: LoggerOptions['level'];
  /** Where lines go; stdout by default. Tests pass a stream to read what was logged. */
  destination?: DestinationStream;
}

/** A pino logger whose every line passes through the personal-data and media redactor. */
export function createLogger(options: CreateLoggerOptions): Logger {
  return pino(
    {
      name: options.name,
      level: options.level ?? 'info',
      formatters: {
        log: (object) => redactPersonalData(object) as Record<string, unknown>,
      },
      // An error's own properties (TriageError.details, a client's request data) too.
      serializers: { err: (error: Error) => redactPersonalData(pino.stdSerializers.err(error)) },
    },
    options.destination,
  );
}
