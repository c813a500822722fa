import { TriageError } from '@triage/errors';
import { SaxesParser } from 'saxes';
import { dropTree } from './drop-tree.ts';
import { ElementTreeBuilder } from './element-tree-builder.ts';
import { ReadErrors } from './read-errors.ts';
import { decodeUtf8Document } from './utf8.ts';
import type { CyberTiplineDocument } from './xml-element.ts';

/**
 * Reads a CyberTipline XML document in one pass: strict well-formedness (saxes), no DTD and no
 * entities beyond the predefined five (so XXE and entity expansion cannot happen), and
 * validation against the content model compiled from NCMEC's XSD while the elements stream by.
 * What it keeps is a small tree of the validated elements with typed values, for the mappers;
 * subtrees the mappers never read (e.g. the reporting person) are validated but not kept.
 */

export interface ReadOptions {
  readonly documentName: string;
  readonly root: 'report' | 'fileDetails';
  /** Element paths without indices (`report/reporter/reportingPerson`) validated but not kept. */
  readonly dropped?: ReadonlySet<string>;
}

const predefinedEntities: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

export function readCyberTiplineDocument(bytes: Uint8Array, options: ReadOptions): CyberTiplineDocument {
  const { documentName } = options;
  const text = decodeUtf8Document(bytes, documentName);
  const parser = new SaxesParser({ xmlns: true, position: true });
  const errors = new ReadErrors({
    documentName,
    position: () => ({ line: parser.line, column: parser.column }),
  });
  const tree = new ElementTreeBuilder({
    documentName,
    root: options.root,
    drops: dropTree(options.dropped ?? new Set()),
    errors,
  });
  refuseDtdAndEntities(parser, errors);
  parser.on('error', (error) => {
    throw errors.notWellFormed(error);
  });
  parser.on('opentag', (tag) => {
    if (tree.atRoot) checkDeclaredEncoding(parser.xmlDecl.encoding, documentName);
    tree.startTag(tag);
  });
  const onText = (chunk: string) => tree.text(chunk);
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => tree.endTag());

  parser.write(text).close();
  const document = tree.document();
  if (document === undefined) throw errors.noRootElement();
  return document;
}

/** Only the five predefined entities resolve; any other reference is refused, never looked up. */
function refuseDtdAndEntities(
  parser: SaxesParser<{ xmlns: true; position: true }>,
  errors: ReadErrors,
): void {
  parser.ENTITIES = new Proxy({ ...predefinedEntities } as Record<string, string>, {
    get(target, key) {
      if (typeof key === 'string' && Object.hasOwn(target, key)) return target[key];
      throw errors.forbidden(
        `the entity reference &${String(key)}; is not allowed (only &amp; &lt; &gt; &quot; &apos;)`,
        String(key).length + 1,
      );
    },
  });
  parser.on('doctype', () => {
    throw errors.forbidden(
      'a DOCTYPE declaration is not allowed: CyberTipline documents have none, and DTD entities are never expanded',
    );
  });
}

/**
 * The bytes were decoded as UTF-8; a document saying otherwise is refused. Checked at the root
 * rather than with an `xmldecl` handler: a seventh saxes handler makes its parse loop ~5x slower.
 */
function checkDeclaredEncoding(encoding: string | undefined, documentName: string): void {
  if (encoding !== undefined && encoding.toUpperCase() !== 'UTF-8') {
    throw new TriageError(
      'TRIAGE_BUNDLE_ENCODING',
      `${documentName} declares encoding ${JSON.stringify(encoding)}; documents must be UTF-8`,
      { pointer: `${documentName}#byte=0`, details: { declaredEncoding: encoding } },
    );
  }
}
