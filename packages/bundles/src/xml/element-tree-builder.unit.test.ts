import { describe, expect, it } from 'vitest';
import { dropTree } from './drop-tree.ts';
import { childPointer, ElementTreeBuilder } from './element-tree-builder.ts';
import { ReadErrors } from './read-errors.ts';
import { startTagOf } from './testing/start-tag.ts';

/** A builder for fileDetails documents (two required children: reportId and fileId). */
function fileDetailsTree(dropped: readonly string[] = []) {
  return new ElementTreeBuilder({
    documentName: 'fileDetails.xml',
    root: 'fileDetails',
    drops: dropTree(new Set(dropped)),
    errors: new ReadErrors({ documentName: 'fileDetails.xml', position: () => ({ line: 1, column: 1 }) }),
  });
}

function leaf(tree: ElementTreeBuilder, name: string, text = ''): void {
  tree.startTag(startTagOf(`<${name}/>`));
  tree.text(text);
  tree.endTag();
}

/** `<fileDetails>` with its required children, left open. */
function openFileDetails(tree: ElementTreeBuilder): ElementTreeBuilder {
  tree.startTag(startTagOf('<fileDetails/>'));
  leaf(tree, 'reportId', '100234');
  leaf(tree, 'fileId', 'f-1');
  return tree;
}

describe('ElementTreeBuilder', () => {
  it('Given a root other than the expected one, when it starts, then it is refused at its path', () => {
    expect(() => fileDetailsTree().startTag(startTagOf('<report/>'))).toThrow(
      expect.objectContaining({ code: 'TRIAGE_BUNDLE_XML_SCHEMA', pointer: 'fileDetails.xml#/report' }),
    );
  });

  it('Given complete content, when the root ends, then the tree holds the typed values with their paths', () => {
    const tree = openFileDetails(fileDetailsTree());
    expect(tree.document()).toBeUndefined();

    tree.endTag();

    const root = tree.document()?.root;
    expect(root?.children.map(({ name, pointer, value }) => ({ name, pointer, value }))).toEqual([
      { name: 'reportId', pointer: '/fileDetails/reportId', value: '100234' }, // xs:long stays a string (beyond 2^53)
      { name: 'fileId', pointer: '/fileDetails/fileId', value: 'f-1' },
    ]);
    expect(tree.atRoot).toBe(true);
  });

  it('Given a not-kept path, when its element ends, then it was validated but is not in the tree', () => {
    const refusing = fileDetailsTree(['fileDetails/reportId']);
    refusing.startTag(startTagOf('<fileDetails/>'));
    expect(() => leaf(refusing, 'reportId', 'one')).toThrow(
      expect.objectContaining({ pointer: 'fileDetails.xml#/fileDetails/reportId' }),
    );

    const keeping = openFileDetails(fileDetailsTree(['fileDetails/reportId']));
    keeping.endTag();
    expect(keeping.document()?.root.children.map((child) => child.name)).toEqual(['fileId']);
  });

  it('Given text in element-only content, when it arrives, then whitespace passes and anything else is refused', () => {
    const tree = openFileDetails(fileDetailsTree());

    tree.text('\n  \t');
    expect(() => tree.text(' a note ')).toThrow(
      expect.objectContaining({
        pointer: 'fileDetails.xml#/fileDetails',
        details: expect.objectContaining({ text: 'a note' }),
      }),
    );
  });

  it('Given a child inside a value, when it starts, then it is refused as not fitting a value', () => {
    const tree = fileDetailsTree();
    tree.startTag(startTagOf('<fileDetails/>'));
    tree.startTag(startTagOf('<reportId/>'));

    expect(() => tree.startTag(startTagOf('<b/>'))).toThrow(
      expect.objectContaining({
        message: expect.stringContaining('<reportId> holds a value and cannot contain <b>'),
      }),
    );
  });

  it('Given an unknown flag holding true in the file annotations, when the document ends, then it is kept with a drift note carrying the text', () => {
    const tree = openFileDetails(fileDetailsTree());
    tree.startTag(startTagOf('<fileAnnotations/>'));

    leaf(tree, 'deepfake', 'true');
    tree.endTag();
    tree.endTag();

    const document = tree.document();
    expect(document?.driftNotes).toEqual([
      {
        path: 'fileDetails.xml#/fileDetails/fileAnnotations/deepfake',
        kind: 'unknown_element',
        value: 'true',
      },
    ]);
    expect(document?.root.children.at(-1)?.children).toMatchObject([{ name: 'deepfake', value: true }]);
  });

  it('Given an unknown element outside the drift containers, when it starts, then it is refused', () => {
    const tree = openFileDetails(fileDetailsTree());

    expect(() => tree.startTag(startTagOf('<favouriteColour/>'))).toThrow(
      expect.objectContaining({ pointer: 'fileDetails.xml#/fileDetails/favouriteColour' }),
    );
  });
});

describe('childPointer', () => {
  const once = { kind: 'element', name: 'reporter', type: 'reporter', min: 1, max: 1 } as const;
  const repeatable = { ...once, max: 'unbounded' } as const;

  it.each([
    ['a single element', once, 1, '/report/reporter'],
    ['a single element that repeats anyway', once, 2, '/report/reporter[2]'],
    ['a repeatable element, first occurrence', repeatable, 1, '/report/reporter[1]'],
    ['an undeclared element', undefined, 1, '/report/reporter'],
  ])('Given %s, when named, then its path is as partners read it', (_case, decl, count, expected) => {
    expect(childPointer('/report', 'reporter', decl, count)).toBe(expected);
  });
});
