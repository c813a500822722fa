import { SaxesParser, type SaxesTagNS } from 'saxes';

/** The first start tag of `xml` as the reader's parser reports it (namespaces resolved). */
export function startTagOf(xml: string): SaxesTagNS {
  const parser = new SaxesParser({ xmlns: true });
  let first: SaxesTagNS | undefined;
  parser.on('opentag', (tag) => {
    first ??= tag;
  });
  parser.write(xml).close();
  if (first === undefined) throw new Error(`no start tag in ${xml}`);
  return first;
}
