import type { StepResult } from './content-matcher.ts';
import { type ReadErrors, tagOf } from './read-errors.ts';

/** An element by name and path, as the messages name it. */
interface Placed {
  readonly name: string;
  readonly pointer: string;
}

/**
 * Why a child does not fit its parent's content model, in the partner's terms: what is missing
 * before it, that it occurs too often, or what was expected in its place.
 */
export function misplacedChildError(
  result: Exclude<StepResult, { kind: 'ok' }>,
  child: Placed & { readonly parent: Placed },
  errors: ReadErrors,
) {
  const { parent, name, pointer } = child;
  switch (result.kind) {
    case 'missing': {
      const missing = result.missing.map(tagOf).join(', ');
      return errors.schema(
        `${tagOf(parent.name)} needs ${missing} before ${tagOf(name)} (missing, or out of XSD order)`,
        `${parent.pointer}/${result.missing[0]}`,
        { missing: result.missing, before: name },
      );
    }
    case 'too_many':
      return errors.schema(
        `${tagOf(name)} may occur at most ${result.max} time(s) in ${tagOf(parent.name)}`,
        pointer,
      );
    case 'out_of_order': {
      const expected = result.expected.length === 0 ? 'nothing more' : result.expected.map(tagOf).join(', ');
      return errors.schema(
        `${tagOf(name)} is out of XSD order in ${tagOf(parent.name)}; expected here: ${expected}`,
        pointer,
        { expected: result.expected },
      );
    }
  }
}

/** Required children still missing when `element` ends (`missing` as the content cursor lists them). */
export function missingChildrenError(element: Placed, missing: readonly string[], errors: ReadErrors) {
  return errors.schema(
    `${tagOf(element.name)} is missing ${missing.map(tagOf).join(', ')}`,
    `${element.pointer}/${missing[0]}`,
    { missing },
  );
}
