import { type ErrorCode, errorCatalogue } from './codes.ts';

export interface TriageErrorOptions {
  cause?: unknown;
  /** Machine-readable facts for logs and problem details (never media, never personal data). */
  details?: Record<string, unknown>;
  /** Overrides the catalogue's default, e.g. a decode error that is transient in one adapter. */
  retryable?: boolean;
  /** JSON pointer (RFC 6901) or element path of the offending input, for problem details. */
  pointer?: string;
}

/** The one error class of the project: a catalogue code, a cause, and whether a retry can help. */
export class TriageError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryable: boolean;
  readonly details: Record<string, unknown> | undefined;
  readonly pointer: string | undefined;

  constructor(code: ErrorCode, message: string, options: TriageErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TriageError';
    const entry = errorCatalogue[code];
    this.code = code;
    this.status = entry.status;
    this.retryable = options.retryable ?? entry.retryable;
    this.details = options.details;
    this.pointer = options.pointer;
  }

  /** Plain properties for pino's serializer (Error fields are not enumerable). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      ...(this.pointer === undefined ? {} : { pointer: this.pointer }),
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }
}

export function isTriageError(error: unknown): error is TriageError {
  return error instanceof TriageError;
}

/** Wraps anything thrown into a TriageError, keeping an existing one as it is. */
export function toTriageError(error: unknown, fallback: ErrorCode = 'TRIAGE_INTERNAL'): TriageError {
  if (error instanceof TriageError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new TriageError(fallback, message, { cause: error });
}
