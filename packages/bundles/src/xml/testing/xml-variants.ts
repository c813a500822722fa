import { SaxesParser } from 'saxes';

/**
 * Structural mutations of a valid XML document for the differential test against xmllint:
 * each element removed, duplicated, swapped with its next sibling, renamed to an unknown name,
 * and each value and attribute replaced by one no XSD type but xs:string accepts. Mutations that would put an
 * unknown element inside a drift container (reportAnnotations, fileAnnotations) are left out:
 * the drift policy accepts those on purpose where the XSD does not.
 */

interface Element {
  readonly name: string;
  readonly attributes: readonly (readonly [string, string])[];
  readonly children: Node[];
}
type Node = Element | string;

export interface Variant {
  readonly name: string;
  readonly xml: string;
}

const driftContainers = new Set(['reportAnnotations', 'fileAnnotations']);

function parseTree(xml: string): Element {
  const parser = new SaxesParser();
  const stack: Element[] = [];
  let root: Element | undefined;
  parser.on('opentag', (tag) => {
    const element: Element = {
      name: tag.name,
      attributes: Object.entries(tag.attributes as Record<string, string>),
      children: [],
    };
    stack.at(-1)?.children.push(element);
    stack.push(element);
    root ??= element;
  });
  parser.on('text', (text) => stack.at(-1)?.children.push(text));
  parser.on('closetag', () => stack.pop());
  parser.write(xml).close();
  return root!;
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

function serialise(node: Node): string {
  if (typeof node === 'string') return escapeXml(node);
  const attributes = node.attributes.map(([name, value]) => ` ${name}="${escapeXml(value)}"`).join('');
  return `<${node.name}${attributes}>${node.children.map(serialise).join('')}</${node.name}>`;
}

const isElement = (node: Node): node is Element => typeof node !== 'string';

/** Every element with its parent and path (`[n]` counts element siblings), the root excluded. */
function walk(root: Element): { element: Element; parent: Element; path: string }[] {
  const found: { element: Element; parent: Element; path: string }[] = [];
  const visit = (parent: Element, path: string) => {
    parent.children.filter(isElement).forEach((element, index) => {
      const elementPath = `${path}/${element.name}[${index + 1}]`;
      found.push({ element, parent, path: elementPath });
      visit(element, elementPath);
    });
  };
  visit(root, `/${root.name}`);
  return found;
}

/** Applies `change` to a deep copy of the tree, at the element found at `path`. */
function mutate(xml: string, path: string, change: (parent: Element, element: Element) => void): string {
  const copy = parseTree(xml);
  const target = walk(copy).find((entry) => entry.path === path)!;
  change(target.parent, target.element);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${serialise(copy)}\n`;
}

export function variantsOf(label: string, xml: string): Variant[] {
  const variants: Variant[] = [];
  for (const { element, parent, path } of walk(parseTree(xml))) {
    const at = (kind: string) => `${label} ${kind} ${path}`;
    variants.push({
      name: at('remove'),
      xml: mutate(xml, path, (p, e) => p.children.splice(p.children.indexOf(e), 1)),
    });
    variants.push({
      name: at('duplicate'),
      xml: mutate(xml, path, (p, e) => p.children.splice(p.children.indexOf(e), 0, e)),
    });
    const siblings = parent.children.filter(isElement);
    const next = siblings[siblings.indexOf(element) + 1];
    if (next !== undefined && next.name !== element.name) {
      variants.push({
        name: at('swap-with-next'),
        xml: mutate(xml, path, (p, e) => {
          const elements = p.children.filter(isElement);
          const from = p.children.indexOf(e);
          const to = p.children.indexOf(elements[elements.indexOf(e) + 1]!);
          [p.children[from], p.children[to]] = [p.children[to]!, p.children[from]!];
        }),
      });
    }
    if (!driftContainers.has(parent.name)) {
      variants.push({
        name: at('rename'),
        xml: mutate(xml, path, (p, e) => {
          p.children[p.children.indexOf(e)] = { ...e, name: `${e.name}Extra` };
        }),
      });
    }
    element.attributes.forEach(([attribute], index) => {
      if (attribute.startsWith('xmlns') || attribute.startsWith('xsi:')) return;
      variants.push({
        name: at(`bad-attribute @${attribute}`),
        xml: mutate(xml, path, (p, e) => {
          const attributes = e.attributes.map((pair, i) =>
            i === index ? ([pair[0], 'not valid!'] as const) : pair,
          );
          p.children[p.children.indexOf(e)] = { ...e, attributes };
        }),
      });
    });
    const hasText = element.children.some((child) => typeof child === 'string' && child.trim() !== '');
    if (hasText && !element.children.some(isElement)) {
      variants.push({
        name: at('bad-value'),
        xml: mutate(xml, path, (_p, e) => {
          e.children.splice(0, e.children.length, 'not a valid value!');
        }),
      });
    }
  }
  return variants;
}
