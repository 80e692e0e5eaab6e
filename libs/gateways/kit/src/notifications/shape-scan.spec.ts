import fc from 'fast-check';

import { formShapeProblem, jsonShapeProblem, xmlShapeProblem } from './shape-scan';

// Failures print fast-check's seed and path: pass them to fc.assert to replay one.

const limits = fc.record({ maxFields: fc.integer({ min: 1, max: 12 }), maxDepth: fc.integer({ min: 1, max: 5 }) });

/** Members and items of every object and array, and the deepest nesting, counted on the parsed value. */
function jsonShape(value: unknown, depth = 0): { fields: number; depth: number } {
  if (typeof value !== 'object' || value === null) return { fields: 0, depth };
  const children = Array.isArray(value) ? value : Object.values(value);
  return children.reduce<{ fields: number; depth: number }>(
    (shape, child) => {
      const inner = jsonShape(child, depth + 1);
      return { fields: shape.fields + 1 + inner.fields, depth: Math.max(shape.depth, inner.depth) };
    },
    { fields: 0, depth: depth + 1 },
  );
}

interface XmlElement {
  name: string;
  children: Array<XmlElement | string>;
  empty: boolean;
}

/** Element trees with text, CDATA that holds markup-like text, comments, attributes with `>` in them. */
const xmlTree = fc.letrec<{ element: XmlElement }>((tie) => ({
  element: fc.record({
    name: fc.constantFrom('leshua', 'a', 'status', 'f1'),
    empty: fc.boolean(),
    children: fc.array(
      fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.constantFrom('1', '退款', '<![CDATA[<a><b></b>]]>', '<!-- <a> -->', '&lt;a&gt;', ' '),
        tie('element'),
      ),
      { maxLength: 4 },
    ),
  }),
})).element;

function xmlText(element: XmlElement): string {
  if (element.empty && element.children.length === 0) return `<${element.name} k="a>b"/>`;
  const inner = element.children.map((child) => (typeof child === 'string' ? child : xmlText(child))).join('');
  return `<${element.name} k='>'>${inner}</${element.name}>`;
}

function xmlShape(element: XmlElement, depth = 1): { fields: number; depth: number } {
  return element.children.reduce<{ fields: number; depth: number }>(
    (shape, child) => {
      if (typeof child === 'string') return shape;
      const inner = xmlShape(child, depth + 1);
      return { fields: shape.fields + inner.fields, depth: Math.max(shape.depth, inner.depth) };
    },
    { fields: 1, depth },
  );
}

describe(jsonShapeProblem.name, () => {
  it('refuses exactly the JSON texts with more members and items, or deeper nesting, than the limits', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), limits, (value, max) => {
        const shape = jsonShape(value);
        const over = shape.fields > max.maxFields || shape.depth > max.maxDepth;
        expect(jsonShapeProblem(JSON.stringify(value, null, 1), max) !== null).toBe(over);
      }),
    );
  });

  it.each([
    ['passes a flat notification', '{"merId":"1","sign":"a\\"{["}', null],
    ['refuses an object inside a flat one', '{"a":{"b":1}}', 'nested deeper than 1'],
    [
      'refuses nesting far deeper than the limit, at the first level too many',
      `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
      'nested deeper than 1',
    ],
    ['refuses a member too many', '{"a":1,"b":2,"c":3}', 'more than 2 members or items'],
    ['refuses an array of three items', '[1,2,3]', 'more than 2 members or items'],
    ['leaves an unterminated string to the parser', '{"a":"b', null],
  ])('%s', (_name, text, expected) => {
    expect(jsonShapeProblem(text, { maxFields: 2, maxDepth: 1 })).toBe(expected);
  });
});

describe(xmlShapeProblem.name, () => {
  it('counts elements and nesting as a parser would, CDATA, comments and quoted attributes aside', () => {
    fc.assert(
      fc.property(xmlTree, limits, (tree, max) => {
        const shape = xmlShape(tree);
        const over = shape.fields > max.maxFields || shape.depth > max.maxDepth;
        expect(xmlShapeProblem(`<?xml version="1.0"?>${xmlText(tree)}`, max) !== null).toBe(over);
      }),
    );
  });

  it.each([
    ['passes a flat Leshua notification', '<leshua><status><![CDATA[11]]></status><sign>ab</sign></leshua>', null],
    ['refuses a field inside a field', '<leshua><a><b>1</b></a></leshua>', 'elements nested deeper than 2'],
    ['refuses thousands of empty elements', `<leshua>${'<a/>'.repeat(5000)}</leshua>`, 'more than 3 elements'],
    [
      'refuses a DOCTYPE',
      '<!DOCTYPE leshua [<!ENTITY a "b">]><leshua/>',
      'markup declarations (DOCTYPE, ENTITY) are not accepted',
    ],
    ['leaves an unterminated tag to the parser', '<leshua><a', null],
    ['leaves text without markup to the parser', 'status=11', null],
  ])('%s', (_name, text, expected) => {
    expect(xmlShapeProblem(text, { maxFields: 3, maxDepth: 2 })).toBe(expected);
  });
});

describe(formShapeProblem.name, () => {
  it('counts the pairs URLSearchParams would read, empty ones included', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a=1', '', 'b', '=', '%26=%3D'), { maxLength: 20 }),
        limits,
        (pairs, max) => {
          const text = pairs.join('&');
          const count = text === '' ? 0 : text.split('&').length;
          expect(formShapeProblem(text, max) !== null).toBe(count > max.maxFields);
        },
      ),
    );
  });
});
