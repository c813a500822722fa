import { TriageError } from '@triage/errors';
import { getManyValues, isMany, none } from 'stream-chain/defs.js';
import Assembler from 'stream-json/core/assembler.js';
import { jsonParser, type Token } from 'stream-json/core/parser.js';
import type { HashListFormatInfo, HashListItem } from '../types.ts';
import { contextKeys, parseVicsContext } from './vics-context.ts';
import { normaliseVicsMedia } from './vics-media.ts';

/** What a format reader yields: the detected format first, then the items. */
export type ReaderItem = HashListItem | { kind: 'format'; info: HashListFormatInfo };

export interface VicsReaderOptions {
  /** What to do with a case export (`#Cases`): refuse it, or import its categorised Media. */
  caseExport: 'reject' | 'categorised';
  /** Label for a category given the document's region, or null. */
  labelFor: (category: number, region: string | null) => string | null;
}

type Mode = 'start' | 'root' | 'records' | 'case' | 'case-media' | 'record' | 'end';

/**
 * Routes stream-json's tokens through the VICS document shape: the OData context, then each
 * Media record of `value[]` (hash set) or of `value[].Media[]` (case export), assembled one at a
 * time with stream-json's Assembler. Only one record is ever held in memory; every other
 * top-level or case-level property is skipped without being assembled.
 */
class VicsTokenRouter {
  readonly out: ReaderItem[] = [];
  #mode: Mode = 'start';
  #depth = 0;
  /** While set, tokens are skipped until the depth is back at this level. */
  #skipTo: number | null = null;
  #rootKey: string | null = null;
  #caseKey: string | null = null;
  #recordIndex = 0;
  #caseIndex = 0;
  #mediaIndex = 0;
  #recordReturn: 'records' | 'case-media' = 'records';
  #assembler = new Assembler({ numberAsString: true });
  #context: ReturnType<typeof parseVicsContext> | undefined;
  readonly #options: VicsReaderOptions;

  constructor(options: VicsReaderOptions) {
    this.#options = options;
  }

  get finished(): boolean {
    return this.#mode === 'end';
  }

  get detected(): boolean {
    return this.#context !== undefined;
  }

  push(token: Token): void {
    const opens = token.name === 'startObject' || token.name === 'startArray';
    const closes = token.name === 'endObject' || token.name === 'endArray';
    if (this.#skipTo !== null) {
      if (opens) this.#depth++;
      else if (closes && --this.#depth === this.#skipTo) this.#skipTo = null;
      return;
    }
    if (this.#mode === 'record') {
      this.#assembler.consume(token);
      if (opens) this.#depth++;
      else if (closes) this.#depth--;
      if (this.#assembler.done) this.#recordDone();
      return;
    }
    if (opens) this.#depth++;
    else if (closes) this.#depth--;
    switch (this.#mode) {
      case 'start':
        if (token.name !== 'startObject') {
          throw unknownFormat('The JSON document is not an object, so not a VICS document');
        }
        this.#mode = 'root';
        return;
      case 'root':
        this.#root(token);
        return;
      case 'records':
        this.#records(token);
        return;
      case 'case':
        this.#case(token);
        return;
      case 'case-media':
        this.#caseMedia(token);
        return;
      case 'end':
        return;
    }
  }

  #root(token: Token): void {
    if (token.name === 'keyValue') {
      this.#rootKey = token.value;
      return;
    }
    if (token.name === 'endObject') {
      if (!this.#context) throw unknownFormat('The JSON object has no odata.metadata or @odata.context');
      throw unknownFormat('The VICS document has no value[] array');
    }
    const key = this.#rootKey;
    this.#rootKey = null;
    if (key !== null && contextKeys.has(key) && token.name === 'stringValue' && !this.#context) {
      this.#detect(token.value);
      return;
    }
    if (key === 'value' && token.name === 'startArray') {
      if (!this.#context) {
        throw unknownFormat('The JSON object has no odata.metadata or @odata.context before its value[]');
      }
      this.#mode = 'records';
      return;
    }
    if (token.name === 'startObject' || token.name === 'startArray') this.#skipTo = this.#depth - 1;
  }

  #records(token: Token): void {
    if (token.name === 'endArray') {
      this.#mode = 'end';
      return;
    }
    const index = this.#recordIndex++;
    if (this.#context?.kind === 'case-export') {
      if (token.name === 'startObject') {
        this.#mode = 'case';
        this.#caseIndex = index;
        this.#mediaIndex = 0;
        this.#caseKey = null;
        return;
      }
      this.#notAnObject(`/value/${index}`, token, 'A Case');
      return;
    }
    if (token.name === 'startObject') {
      this.#startRecord(token, 'records');
      return;
    }
    this.out.push({ kind: 'record' });
    this.#notAnObject(`/value/${index}`, token, 'A Media record');
  }

  #case(token: Token): void {
    if (token.name === 'keyValue') {
      this.#caseKey = token.value;
      return;
    }
    if (token.name === 'endObject') {
      this.#mode = 'records';
      return;
    }
    const key = this.#caseKey;
    this.#caseKey = null;
    if (key?.toLowerCase() === 'media' && token.name === 'startArray') {
      this.#mode = 'case-media';
      return;
    }
    if (token.name === 'startObject' || token.name === 'startArray') this.#skipTo = this.#depth - 1;
  }

  #caseMedia(token: Token): void {
    if (token.name === 'endArray') {
      this.#mode = 'case';
      return;
    }
    if (token.name === 'startObject') {
      this.#startRecord(token, 'case-media');
      return;
    }
    this.out.push({ kind: 'record' });
    this.#notAnObject(`/value/${this.#caseIndex}/Media/${this.#mediaIndex++}`, token, 'A Media record');
  }

  #startRecord(token: Token, back: 'records' | 'case-media'): void {
    this.#recordReturn = back;
    this.#mode = 'record';
    this.#assembler.consume(token);
  }

  #recordDone(): void {
    const record = this.#assembler.current;
    const back = this.#recordReturn;
    const position =
      back === 'records'
        ? `/value/${this.#recordIndex - 1}`
        : `/value/${this.#caseIndex}/Media/${this.#mediaIndex++}`;
    this.#mode = back;
    const region = this.#context?.region ?? null;
    this.out.push({ kind: 'record' });
    this.out.push(
      ...normaliseVicsMedia(record, {
        position,
        kind: this.#context?.kind ?? 'hashset',
        labelFor: (category) => this.#options.labelFor(category, region),
      }),
    );
  }

  #notAnObject(position: string, token: Token, what: string): void {
    this.out.push({
      kind: 'invalid',
      row: { position, reason: 'not-an-object', message: `${what} must be a JSON object, got ${token.name}` },
    });
    if (token.name === 'startArray') this.#skipTo = this.#depth - 1;
  }

  #detect(context: string): void {
    const parsed = parseVicsContext(context);
    if (parsed.kind === 'case-export' && this.#options.caseExport === 'reject') {
      throw new TriageError(
        'TRIAGE_HASHLIST_CASE_EXPORT',
        'This is a VICS case export (#Cases): the media of a case, not a hash set. Import it with --case-export (caseExport: "categorised") to take its categorised Media as known hashes',
        { details: { context: context.slice(0, 200) } },
      );
    }
    this.#context = parsed;
    this.out.push({ kind: 'format', info: { format: 'vics', ...parsed } });
  }
}

function unknownFormat(message: string): TriageError {
  return new TriageError('TRIAGE_HASHLIST_FORMAT_UNKNOWN', message);
}

/**
 * Streams a VICS JSON document (v1.x or v2.0; a UTF-8 BOM is dropped) from its bytes. Yields the
 * detected format first, then one item per record and per hash. A JSON syntax error before the
 * document is recognised is TRIAGE_HASHLIST_FORMAT_UNKNOWN; after, TRIAGE_HASHLIST_MALFORMED
 * (items already yielded stay valid).
 */
export async function* readVicsItems(
  chunks: AsyncIterable<Uint8Array>,
  options: VicsReaderOptions,
): AsyncGenerator<ReaderItem> {
  const decoder = new TextDecoder('utf-8');
  // The tokenizer is flushable: called with `none` it emits what it still holds (typed for text only).
  const tokenize = jsonParser({ streamValues: false }) as (
    input: string | typeof none,
  ) => ReturnType<ReturnType<typeof jsonParser>>;
  const router = new VicsTokenRouter(options);
  let offset = 0;
  const feed = (input: string | typeof none): void => {
    let result: ReturnType<typeof tokenize>;
    try {
      result = tokenize(input);
    } catch (cause) {
      throw syntaxError(cause, offset, router.detected);
    }
    if (result === none) return;
    if (isMany(result)) for (const token of getManyValues(result)) router.push(token);
    else router.push(result as unknown as Token);
  };
  for await (const chunk of chunks) {
    feed(decoder.decode(chunk, { stream: true }));
    offset += chunk.byteLength;
    if (router.out.length > 0) yield* router.out.splice(0);
    if (router.finished) break;
  }
  if (!router.finished) {
    feed(decoder.decode());
    feed(none);
    yield* router.out.splice(0);
  }
  if (!router.finished) {
    if (!router.detected) throw unknownFormat('The JSON document ends before it shows a VICS context');
    throw new TriageError(
      'TRIAGE_HASHLIST_MALFORMED',
      `The VICS document breaks off after ${offset} bytes: its value[] array is not closed`,
      { details: { offset } },
    );
  }
}

function syntaxError(cause: unknown, offset: number, detected: boolean): TriageError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  if (!detected) {
    return new TriageError('TRIAGE_HASHLIST_FORMAT_UNKNOWN', `Not a JSON document: ${reason}`, { cause });
  }
  return new TriageError(
    'TRIAGE_HASHLIST_MALFORMED',
    `The VICS document is not well-formed JSON in the block after byte ${offset}: ${reason}`,
    { cause, details: { offset } },
  );
}
