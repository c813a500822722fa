/**
 * The paths a reader validates but does not keep (`report/reporter/reportingPerson`), as a tree
 * of child names: each element looks up its own name under its parent's rules, so no path
 * string is built per element.
 */

export type DropTree = ReadonlyMap<string, DropRule>;
/** `drop`: the element and all below it are not kept; a tree: rules for the elements below. */
export type DropRule = DropTree | 'drop';

export function dropTree(paths: ReadonlySet<string>): DropTree {
  type Mutable = Map<string, Mutable | 'drop'>;
  const root: Mutable = new Map();
  for (const path of paths) {
    const names = path.split('/');
    const last = names.pop()!;
    let node: Mutable | null = root;
    for (const name of names) {
      const existing: Mutable | 'drop' | undefined = node.get(name);
      // Under a dropped element everything is dropped already.
      if (existing === 'drop') {
        node = null;
        break;
      }
      const next: Mutable = existing ?? new Map();
      node.set(name, next);
      node = next;
    }
    node?.set(last, 'drop');
  }
  return root;
}

/** The rules for the children of an element whose own rule is `rule` (none when it is dropped whole). */
export function rulesBelow(rule: DropRule | undefined): DropTree | null {
  return rule === undefined || rule === 'drop' ? null : rule;
}
