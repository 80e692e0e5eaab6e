import fc from 'fast-check';

import { readFlatLeshuaXml } from './leshua-flat-xml';
import { buildLeshuaXml, parseLeshuaXml, parseLeshuaXmlFully } from './leshua.codec';

type Outcome = { fields: Array<[string, string]>; prototype: object | null } | { error: string };

/** What a parse ends in, comparable with toEqual: fields in document order, or the error's class and message. */
function outcomeOf(parse: () => Readonly<Record<string, string>>): Outcome {
  try {
    const fields = parse();
    return { fields: Object.entries(fields), prototype: Object.getPrototypeOf(fields) as object | null };
  } catch (error) {
    return { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

const DECLARATIONS = [
  '',
  '<?xml version="1.0" encoding="utf-8"?>',
  "<?xml version='1.0' encoding='GBK'?>",
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
  '<?xml version="1.0" ?>',
];
const ODD_DECLARATIONS = [
  ' <?xml version="1.0"?>',
  '\uFEFF<?xml version="1.0"?>',
  '<?xml  version="1.0"?>',
  '<?xml version="2.0"?>',
  '<?xml version="1.0" encoding="utf-8"',
  '<?xml-stylesheet href="a"?>',
  '<?xml?>',
];
const SPACES = ['', ' ', '\n', '\n  ', '\t'];
const ODD_SPACES = ['\r\n', '\r', '\u00a0', '\u2028', '\uFEFF', 'x', '&amp;'];
const NAMES = ['resp_code', 'resp_msg', 'refund_amount', 'sign', 'a', 'A.b-c_1', '_x', 'leshua', 'xml'];
const ODD_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'a:b', '1a', 'é', '#text', 'a b', ''];
const TEXT_TOKENS = [
  'a',
  '0',
  '0100',
  ' ',
  '\n',
  '\t',
  '乐刷',
  '😀',
  '>',
  '"',
  "'",
  '&amp;',
  '&lt;',
  '&gt;',
  '&quot;',
  '&apos;',
];
const ODD_TEXT_TOKENS = [
  '&',
  '&#60;',
  '&#x3C;',
  '&#x3c;',
  '&#38;',
  '&foo;',
  '&AMP;',
  '&amp',
  ']]>',
  '\r',
  '\r\n',
  '<',
  '\u0000',
  '\uD800',
  '<!DOCTYPE',
];

const pick = (values: string[]) => fc.constantFrom(...values);
const textOf = (tokens: string[] | fc.Arbitrary<string[]>) =>
  (Array.isArray(tokens) ? fc.array(pick(tokens), { maxLength: 8 }) : tokens).map((parts) => parts.join(''));
const cdataOf = (tokens: string[] | fc.Arbitrary<string[]>) => textOf(tokens).map((inner) => `<![CDATA[${inner}]]>`);

/** A field as Leshua sends it: plain text, one CDATA section, or empty. */
function field(names: fc.Arbitrary<string>, tokens: string[] | fc.Arbitrary<string[]>): fc.Arbitrary<string> {
  return fc
    .tuple(names, fc.oneof(textOf(tokens), cdataOf(tokens), fc.constant('/')))
    .map(([name, value]) => (value === '/' ? `<${name}/>` : `<${name}>${value}</${name}>`));
}

/** A value with exactly one odd token in it, so nothing else makes the fast reader decline first. */
const oneOddToken = fc
  .tuple(textOf(TEXT_TOKENS), pick(ODD_TEXT_TOKENS), textOf(TEXT_TOKENS))
  .map(([before, odd, after]) => [before + odd + after]);

/** Near misses: what the fast reader must decline (or read exactly as the full parser does). */
const oddField = fc.oneof(
  field(pick(ODD_NAMES), TEXT_TOKENS),
  field(pick(NAMES), ODD_TEXT_TOKENS),
  field(pick(NAMES), oneOddToken),
  fc.tuple(pick(NAMES), textOf(TEXT_TOKENS)).map(([n, v]) => `<${n} id="1">${v}</${n}>`),
  fc.tuple(pick(NAMES), textOf(TEXT_TOKENS)).map(([n, v]) => `<${n}><b>${v}</b></${n}>`),
  fc.tuple(pick(NAMES), textOf(TEXT_TOKENS)).map(([n, v]) => `<${n}>${v}<![CDATA[${v}]]></${n}>`),
  fc.tuple(pick(NAMES), textOf(TEXT_TOKENS)).map(([n, v]) => `<${n}><![CDATA[${v}]]><![CDATA[${v}]]></${n}>`),
  fc.tuple(pick(NAMES), textOf(TEXT_TOKENS)).map(([n, v]) => `<${n}><![CDATA[${v}]]>${v}</${n}>`),
  fc.tuple(pick(NAMES), textOf(TEXT_TOKENS)).map(([n, v]) => `<${n} >${v}</${n} >`),
  fc.tuple(pick(NAMES), textOf(TEXT_TOKENS)).map(([n, v]) => `<${n}>${v}</${n}x>`),
  fc.tuple(pick(NAMES), textOf(TEXT_TOKENS)).map(([n, v]) => `<${n}>${v}`),
  fc.constantFrom('<!-- note -->', '<?pi data?>', 'stray', '<a/ >', '<>', '</x>', '<![CDATA[x]]>'),
);

function document(input: {
  declarations: fc.Arbitrary<string>;
  spaces: fc.Arbitrary<string>;
  fields: fc.Arbitrary<string>;
  roots: fc.Arbitrary<string>;
}): fc.Arbitrary<string> {
  const { declarations, spaces, fields, roots } = input;
  return fc
    .tuple(declarations, spaces, roots, fc.array(fc.tuple(fields, spaces), { maxLength: 8 }), spaces, spaces)
    .map(
      ([declaration, before, root, children, inside, after]) =>
        `${declaration}${before}<${root}>${inside}${children.map(([child, space]) => child + space).join('')}</${root}>${after}`,
    );
}

const flatDocument = document({
  declarations: pick(DECLARATIONS),
  spaces: pick(SPACES),
  fields: field(pick(NAMES), TEXT_TOKENS),
  roots: pick(['leshua', 'xml']),
});

const nearMissDocument = document({
  declarations: fc.oneof(pick(DECLARATIONS), pick(ODD_DECLARATIONS)),
  spaces: fc.oneof(pick(SPACES), pick(ODD_SPACES)),
  fields: fc.oneof(field(pick(NAMES), TEXT_TOKENS), oddField),
  roots: pick(['leshua', 'xml', 'leshua x="1"', 'leshua/', 'Leshua', '__proto__']),
});

/** A flat answer with one odd thing among its children, so nothing else makes the fast reader decline first. */
const oneNearMiss = fc
  .tuple(
    pick(DECLARATIONS),
    fc.array(field(pick(NAMES), TEXT_TOKENS), { maxLength: 4 }),
    fc.oneof(oddField, pick(ODD_SPACES)),
    fc.nat(),
  )
  .map(([declaration, children, odd, at]) => {
    const all = [...children];
    all.splice(at % (children.length + 1), 0, odd);
    return `${declaration}<leshua>${all.join('')}</leshua>`;
  });

/** A document cut anywhere, or with one character dropped: truncated and damaged answers. */
const damagedDocument = fc
  .tuple(flatDocument, fc.nat(), fc.boolean())
  .map(([text, at, cut]) =>
    cut ? text.slice(0, at % (text.length + 1)) : text.slice(0, at % text.length) + text.slice((at % text.length) + 1),
  );

const expected = pick(['leshua', 'xml']).chain((root) => fc.constantFrom<string | null>(root, null));

function sameAsFullParser(text: string, root: string | null): void {
  expect(outcomeOf(() => parseLeshuaXml(text, root))).toEqual(outcomeOf(() => parseLeshuaXmlFully(text, root)));
}

describe('readFlatLeshuaXml', () => {
  it('reads flat answers exactly as the full parser does', () => {
    fc.assert(
      fc.property(flatDocument, expected, (text, root) => sameAsFullParser(text, root)),
      { numRuns: 3000 },
    );
  });

  it('reads flat answers itself, rather than leaving them all to the full parser', () => {
    fc.assert(
      fc.property(flatDocument, (text) => {
        const fast = readFlatLeshuaXml(text, null);
        // Repeated fields are the one flat-looking shape it declines: the full parser refuses them.
        const fully = outcomeOf(() => parseLeshuaXmlFully(text, null));
        if ('fields' in fully) expect(fast).not.toBeNull();
      }),
      { numRuns: 1000 },
    );
  });

  it('changes nothing for near misses: attributes, nesting, comments, entities, odd whitespace and names', () => {
    fc.assert(
      fc.property(fc.oneof(nearMissDocument, oneNearMiss), expected, (text, root) => sameAsFullParser(text, root)),
      { numRuns: 5000 },
    );
  });

  it('changes nothing for truncated or damaged answers', () => {
    fc.assert(
      fc.property(damagedDocument, expected, (text, root) => sameAsFullParser(text, root)),
      { numRuns: 3000 },
    );
  });

  it('changes nothing for documents the codec builds, values with ]]> included', () => {
    fc.assert(
      fc.property(
        fc.dictionary(pick(NAMES), fc.string({ unit: 'grapheme', maxLength: 12 }), { maxKeys: 6 }),
        (fields) => sameAsFullParser(buildLeshuaXml(fields), 'leshua'),
      ),
      { numRuns: 1000 },
    );
  });

  it.each([
    [
      'a typical answer',
      '<?xml version="1.0" encoding="utf-8"?><leshua><resp_code><![CDATA[0]]></resp_code><sign>AB</sign></leshua>',
      { resp_code: '0', sign: 'AB' },
    ],
    ['entities, untrimmed', '<leshua><m> a &amp; b &lt;&gt;&quot;&apos; </m></leshua>', { m: ' a & b <>"\' ' }],
    ['empty and self-closing fields', '<leshua><a></a><b/><c><![CDATA[]]></c></leshua>', { a: '', b: '', c: '' }],
    ['an empty root', '<leshua></leshua>\n', {}],
  ])('reads %s', (_what, text, fields) => {
    expect(readFlatLeshuaXml(text, 'leshua')).toEqual(fields);
  });

  it.each([
    ['a numeric reference', '<leshua><a>&#60;</a></leshua>'],
    ['a carriage return', '<leshua>\r\n<a>1</a></leshua>'],
    ['text and CDATA mixed', '<leshua><a>x<![CDATA[y]]></a></leshua>'],
    ['a repeated field', '<leshua><a>1</a><a>2</a></leshua>'],
    ['a prototype name', '<leshua><__proto__>1</__proto__></leshua>'],
    ['an attribute', '<leshua><a id="1">1</a></leshua>'],
    ['a whitespace-only root', '<leshua> </leshua>'],
    ['another root', '<xml><a>1</a></xml>'],
  ])('leaves %s to the full parser', (_what, text) => {
    expect(readFlatLeshuaXml(text, 'leshua')).toBeNull();
  });
});
