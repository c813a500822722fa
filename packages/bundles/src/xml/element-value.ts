import { echoed } from '../echo.ts';
import { missingChildrenError } from './content-errors.ts';
import type { OpenElement } from './open-element.ts';
import { type ReadErrors, tagOf } from './read-errors.ts';
import { checkSimpleValue, type SimpleValue } from './simple-types.ts';

/**
 * The typed value of an element at its end tag, once its content is checked: a flag is `true`,
 * simple content is converted by its type (an empty element takes the schema's fixed value, and
 * a value must equal it), and element content must have all its required children; elements
 * without simple content have no value (null).
 */
export function closedValue(element: OpenElement, errors: ReadErrors): SimpleValue | null {
  const { type } = element;
  if (type.kind === 'flag') return flagValue(element, errors);
  const def = type.kind === 'simple' ? type.def : type.simple;
  if (def !== null) {
    const raw = element.text === '' && element.fixed !== undefined ? element.fixed : element.text;
    const value = errors.value(def, raw, element.pointer, tagOf(element.name));
    if (element.fixed !== undefined) {
      const fixedValue = checkSimpleValue(def, element.fixed);
      if (fixedValue.ok && fixedValue.value !== value) {
        throw errors.schema(
          `${tagOf(element.name)} must be ${element.fixed} (fixed by the schema)`,
          element.pointer,
          {
            value: echoed(element.text),
          },
        );
      }
    }
    return value;
  }
  if (type.kind === 'complex' && type.content !== null) {
    const missing = element.cursor!.finish();
    if (missing.length > 0) throw missingChildrenError(element, missing, errors);
  }
  return null;
}

/** A kept flag reads like the XSD's flags: empty, or the boolean true. */
function flagValue(element: OpenElement, errors: ReadErrors): true {
  if (element.text !== '') {
    const checked = checkSimpleValue({ base: 'boolean' }, element.text);
    if (!checked.ok || checked.value !== true) {
      throw errors.schema(`${tagOf(element.name)} is a flag and must be empty (or true)`, element.pointer, {
        value: element.text.slice(0, 40),
      });
    }
  }
  return true;
}
