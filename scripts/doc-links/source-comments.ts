// The comments of a source file, for the link check: the TypeScript parser finds them (so `//`
// inside a string or a regular expression is never taken for a comment); shell, YAML and
// properties files use `#` comments; JSON has none, so each of its lines is read whole (rule
// files and fixtures say where they come from in description strings).
import ts from 'typescript';

export interface SourceComment {
  readonly line: number;
  readonly text: string;
}

function typeScriptComments(path: string, text: string): SourceComment[] {
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const found = new Map<number, SourceComment>();
  const collect = (ranges: ts.CommentRange[] | undefined) => {
    for (const range of ranges ?? []) {
      if (found.has(range.pos)) continue;
      const line = file.getLineAndCharacterOfPosition(range.pos).line + 1;
      found.set(range.pos, { line, text: text.slice(range.pos, range.end) });
    }
  };
  const visit = (node: ts.Node) => {
    collect(ts.getLeadingCommentRanges(text, node.pos));
    collect(ts.getTrailingCommentRanges(text, node.end));
    for (const child of node.getChildren(file)) visit(child);
  };
  visit(file);
  return [...found.values()].sort((a, b) => a.line - b.line);
}

function hashComments(text: string): SourceComment[] {
  const comments: SourceComment[] = [];
  text.split('\n').forEach((line, index) => {
    const comment = /(?:^|\s)(#.*)$/.exec(line)?.[1];
    if (comment !== undefined) comments.push({ line: index + 1, text: comment });
  });
  return comments;
}

/** The comments of a file the check reads, by extension; `undefined` for files it does not read. */
export function sourceComments(path: string, text: string): SourceComment[] | undefined {
  if (/\.(?:[cm]?ts|[cm]?js)$/.test(path)) return typeScriptComments(path, text);
  if (/\.(?:sh|ya?ml|properties)$/.test(path) || path === '.ci/run') return hashComments(text);
  if (path.endsWith('.json')) return text.split('\n').map((line, index) => ({ line: index + 1, text: line }));
  return undefined;
}
