import { type ErrorCode, TriageError } from '@triage/errors';
import { echoed } from '../echo.ts';
import { checkSimpleValue, type SimpleValue } from './simple-types.ts';
import type { SimpleTypeDef } from './xsd-model.ts';

/**
 * The errors of one document read, each naming the document, the element path (or text
 * position) and the parser's line and column at the moment it is raised.
 */

// A type, not an interface: it doubles as an error's details record.
export type ReadPosition = {
  readonly line: number;
  readonly column: number;
};

export interface ReadErrorsOptions {
  readonly documentName: string;
  /** Where the parser is now (saxes reports where it stopped, not where a construct began). */
  readonly position: () => ReadPosition;
}

/** `<name>`, for messages. */
export const tagOf = (name: string) => `<${name}>`;

export class ReadErrors {
  readonly #documentName: string;
  readonly #position: () => ReadPosition;

  constructor(options: ReadErrorsOptions) {
    this.#documentName = options.documentName;
    this.#position = options.position;
  }

  /** An error at the element or attribute `pointer` (its path, `/report/victim[2]`). */
  at(code: ErrorCode, message: string, pointer: string, details: Record<string, unknown> = {}): TriageError {
    const position = this.#position();
    return new TriageError(
      code,
      `${this.#documentName}: ${message} (line ${position.line}, column ${position.column})`,
      { pointer: `${this.#documentName}#${pointer}`, details: { ...details, ...position } },
    );
  }

  /** The document breaks the CyberTipline schema at `pointer`. */
  schema(message: string, pointer: string, details?: Record<string, unknown>): TriageError {
    return this.at('TRIAGE_BUNDLE_XML_SCHEMA', message, pointer, details);
  }

  /** The typed value of `raw`, or the error naming `what` (an unknown enumeration value has its own code). */
  value(def: SimpleTypeDef, raw: string, pointer: string, what: string): SimpleValue {
    const checked = checkSimpleValue(def, raw);
    if (checked.ok) return checked.value;
    const code = checked.reason === 'enumeration' ? 'TRIAGE_BUNDLE_ENUM_UNKNOWN' : 'TRIAGE_BUNDLE_XML_SCHEMA';
    throw this.at(code, `${what}: ${checked.message}`, pointer, { value: echoed(raw) });
  }

  /** A construct refused for safety (DOCTYPE, entities); `back` moves the column to where it began. */
  forbidden(message: string, back = 0): TriageError {
    const position = this.#position();
    const where = { line: position.line, column: position.column - back };
    return new TriageError(
      'TRIAGE_BUNDLE_XML_FORBIDDEN',
      `${this.#documentName}: ${message} (line ${where.line}, column ${where.column})`,
      { pointer: `${this.#documentName}:${where.line}:${where.column}`, details: where },
    );
  }

  /** The parser's own well-formedness error, without the position prefix saxes puts on it. */
  notWellFormed(error: Error): TriageError {
    const position = this.#position();
    const prefix = `${position.line}:${position.column}: `;
    const message = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
    return new TriageError(
      'TRIAGE_BUNDLE_XML_MALFORMED',
      `${this.#documentName} is not well-formed XML: ${message} (line ${position.line}, column ${position.column})`,
      { pointer: this.#textPointer(position), details: position, cause: error },
    );
  }

  noRootElement(): TriageError {
    return new TriageError('TRIAGE_BUNDLE_XML_MALFORMED', `${this.#documentName} has no root element`, {
      pointer: this.#textPointer(this.#position()),
    });
  }

  #textPointer(position: ReadPosition): string {
    return `${this.#documentName}:${position.line}:${position.column}`;
  }
}
