import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileXsd } from './compile-xsd.ts';
import { newerElements, openFlagContainers } from './drift-policy.ts';
import { cybertiplineModel } from './generated/cybertipline-model.ts';
import { xsdPath } from './testing/cybertipline-samples.ts';

const schema = (body: string) =>
  Buffer.from(`<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified">
  <xs:annotation><xs:documentation>Prose that is never kept.</xs:documentation></xs:annotation>
  ${body}
</xs:schema>`);

describe('compileXsd', () => {
  it('Given a small schema, when compiled, then the model holds elements, order, occurrences, types, facets and attributes but no documentation', () => {
    const bytes = schema(`
  <xs:element name="doc">
    <xs:annotation><xs:documentation>Root.</xs:documentation></xs:annotation>
    <xs:complexType>
      <xs:sequence>
        <xs:element ref="part" maxOccurs="unbounded"/>
        <xs:choice minOccurs="0"><xs:element name="a" type="xs:int"/><xs:element name="b" type="code"/></xs:choice>
        <xs:element name="flags" minOccurs="0" type="flags"/>
      </xs:sequence>
      <xs:attribute name="kind" type="code" use="required"/>
    </xs:complexType>
  </xs:element>
  <xs:element name="part" type="xs:string"/>
  <xs:complexType name="flags"><xs:all><xs:element name="x" minOccurs="0" type="xs:boolean" fixed="true"/></xs:all></xs:complexType>
  <xs:simpleType name="code"><xs:restriction base="xs:token"><xs:enumeration value="A"/><xs:pattern value="[A-Z]"/></xs:restriction></xs:simpleType>`);

    const model = compileXsd(bytes, 'small.xsd');

    expect(model).toEqual({
      source: { file: 'small.xsd', sha256: createHash('sha256').update(bytes).digest('hex') },
      elements: { doc: 'element:doc', part: 'xs:string' },
      simpleTypes: { code: { base: 'token', enumeration: ['A'], patterns: ['[A-Z]'] } },
      complexTypes: {
        'element:doc': {
          attributes: [{ name: 'kind', type: 'code', required: true }],
          content: {
            kind: 'elements',
            particle: {
              kind: 'sequence',
              min: 1,
              max: 1,
              particles: [
                { kind: 'element', name: 'part', type: 'xs:string', min: 1, max: 'unbounded' },
                {
                  kind: 'choice',
                  min: 0,
                  max: 1,
                  particles: [
                    { kind: 'element', name: 'a', type: 'xs:int', min: 1, max: 1 },
                    { kind: 'element', name: 'b', type: 'code', min: 1, max: 1 },
                  ],
                },
                { kind: 'element', name: 'flags', type: 'flags', min: 0, max: 1 },
              ],
            },
          },
        },
        flags: {
          attributes: [],
          content: {
            kind: 'all',
            min: 1,
            elements: [{ kind: 'element', name: 'x', type: 'xs:boolean', min: 0, max: 1, fixed: 'true' }],
          },
        },
      },
    });
    expect(JSON.stringify(model)).not.toContain('never kept');
  });

  it.each([
    ['xs:any', '<xs:complexType name="t"><xs:sequence><xs:any/></xs:sequence></xs:complexType>'],
    ['a complexContent extension', '<xs:complexType name="t"><xs:complexContent/></xs:complexType>'],
    ['an unsupported built-in', '<xs:element name="e" type="xs:decimal"/>'],
    [
      'an unsupported facet',
      '<xs:simpleType name="s"><xs:restriction base="xs:string"><xs:maxLength value="3"/></xs:restriction></xs:simpleType>',
    ],
    [
      'a default value',
      '<xs:complexType name="t"><xs:sequence><xs:element name="e" type="xs:string" default="x"/></xs:sequence></xs:complexType>',
    ],
    ['an import', '<xs:import namespace="urn:x"/>'],
    ['an unknown type', '<xs:element name="e" type="nowhere"/>'],
    [
      'a class subtraction regex',
      '<xs:simpleType name="s"><xs:restriction base="xs:string"><xs:pattern value="[a-z-[aeiou]]"/></xs:restriction></xs:simpleType>',
    ],
  ])('Given a schema with %s, when compiled, then it refuses loudly', (_what, body) => {
    expect(() => compileXsd(schema(body), 'bad.xsd')).toThrow(/not supported|unknown type/);
  });

  it.each([
    [
      'a simpleType other than one xs:restriction',
      '<xs:simpleType name="s"><xs:list itemType="xs:string"/></xs:simpleType>',
    ],
    ['a restriction without a base', '<xs:simpleType name="s"><xs:restriction/></xs:simpleType>'],
    [
      'a simpleContent other than one xs:extension',
      '<xs:complexType name="t"><xs:simpleContent><xs:restriction base="xs:string"/></xs:simpleContent></xs:complexType>',
    ],
    [
      'an extension without a base',
      '<xs:complexType name="t"><xs:simpleContent><xs:extension/></xs:simpleContent></xs:complexType>',
    ],
  ])('Given a schema with %s, when compiled, then the error names it', (what, body) => {
    expect(() => compileXsd(schema(body), 'bad.xsd')).toThrow(`${what} is not supported`);
  });
});

describe('the committed CyberTipline model', () => {
  it.runIf(existsSync(xsdPath))(
    "Given NCMEC's shared XSD, when compiled, then it equals the committed model (`pnpm bundles:check` also checks the formatting)",
    () => {
      expect(compileXsd(readFileSync(xsdPath), 'cyber_tipline.xsd')).toEqual(cybertiplineModel);
    },
  );

  it('Given the drift registry, when compared with the model, then every newer element is still unknown to it and every container exists', () => {
    for (const container of [...openFlagContainers, ...newerElements.map((element) => element.container)]) {
      expect(cybertiplineModel.complexTypes[container]?.content.kind).toBe('all');
    }
    for (const element of newerElements) {
      const content = cybertiplineModel.complexTypes[element.container]!.content;
      // Once NCMEC's XSD declares it, it is no longer drift: drop it from the registry.
      expect(content.kind === 'all' && content.elements.some((known) => known.name === element.name)).toBe(
        false,
      );
    }
  });
});
