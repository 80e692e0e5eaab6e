import type { LeshuaFields } from './leshua.types';

/**
 * A reader for the one shape Leshua answers in: an optional `<?xml ...?>` declaration, one root, and
 * children that are each a plain text or a single CDATA value, without attributes, nesting,
 * comments or other markup. It returns exactly what the full parser path of `parseLeshuaXml` returns
 * for such a document, several times faster; for anything else it returns null and the full
 * parser decides, so every other document (and every error message) is unchanged. Equivalence is
 * checked by property tests against the full parser (leshua-flat-xml.spec.ts).
 *
 * It declines rather than imitates wherever the full parser has a rule of its own: carriage returns
 * (normalised to `\n`), numeric and unknown entity references (only some are decoded), mixed
 * text and CDATA, repeated or prototype-named fields, whitespace-only roots, non-ASCII names.
 */
export function readFlatLeshuaXml(text: string, root: string | null): LeshuaFields | null {
  if (text.includes('\r')) return null;
  let at = 0;
  if (text.startsWith('<?xml')) {
    const end = text.indexOf('?>');
    if (end < 0 || !DECLARATION.test(text.slice(0, end + 2))) return null;
    at = end + 2;
  }
  at = skipSpace(text, at);
  const rootName = openTag(text, at);
  if (rootName === null || (root !== null && rootName !== root)) return null;
  at += rootName.length + 2;
  const closing = `</${rootName}>`;
  const fields: Record<string, string> = {};
  let sawSpace = false;
  let children = 0;
  for (;;) {
    const next = skipSpace(text, at);
    sawSpace ||= next !== at;
    at = next;
    if (text.startsWith(closing, at)) {
      // A root holding only whitespace reads as text, which the full parser refuses.
      if (children === 0 && sawSpace) return null;
      return skipSpace(text, at + closing.length) === text.length ? fields : null;
    }
    const field = readField(text, at);
    // `in` also sees Object.prototype's names (__proto__, constructor), whose handling is the full parser's.
    if (field === null || field.name in fields) return null;
    fields[field.name] = field.value;
    at = field.end;
    children++;
  }
}

/** What XML declarations of real answers look like; anything more unusual goes to the full parser. */
const DECLARATION =
  /^<\?xml version=(?:"1\.[01]"|'1\.[01]')(?: encoding=(?:"[A-Za-z][A-Za-z0-9._-]*"|'[A-Za-z][A-Za-z0-9._-]*'))?(?: standalone=(?:"(?:yes|no)"|'(?:yes|no)'))? ?\?>$/;

/** ASCII names only: the full parser's name rules beyond these are not worth repeating here. */
const NAME = /[A-Za-z_][A-Za-z0-9_.-]*/y;

const ENTITY_TEXT: ReadonlyMap<string, string> = new Map([
  ['amp', '&'],
  ['lt', '<'],
  ['gt', '>'],
  ['quot', '"'],
  ['apos', "'"],
]);
/** One of the five predefined entities, or any other `&` (unnamed group). */
const AMPERSAND = /&(amp|lt|gt|quot|apos);|&/g;

function skipSpace(text: string, at: number): number {
  let i = at;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x09) break;
  }
  return i;
}

/** The name of a `<name>` starting at `at`, or null if there is none exactly there. */
function openTag(text: string, at: number): string | null {
  if (text.charCodeAt(at) !== 0x3c) return null;
  NAME.lastIndex = at + 1;
  const match = NAME.exec(text);
  if (match === null || text.charCodeAt(NAME.lastIndex) !== 0x3e) return null;
  return match[0];
}

/** One `<name>value</name>` or `<name/>` starting at `at`. */
function readField(text: string, at: number): { name: string; value: string; end: number } | null {
  if (text.charCodeAt(at) !== 0x3c) return null;
  NAME.lastIndex = at + 1;
  const match = NAME.exec(text);
  if (match === null) return null;
  const name = match[0];
  const after = NAME.lastIndex;
  if (text.startsWith('/>', after)) return { name, value: '', end: after + 2 };
  if (text.charCodeAt(after) !== 0x3e) return null;
  const value = readValue(text, after + 1);
  if (value === null) return null;
  const closing = `</${name}>`;
  return text.startsWith(closing, value.end) ? { name, value: value.text, end: value.end + closing.length } : null;
}

/** A single CDATA section or plain text up to the next `<`; `end` is where the closing tag must start. */
function readValue(text: string, at: number): { text: string; end: number } | null {
  if (text.startsWith('<![CDATA[', at)) {
    const end = text.indexOf(']]>', at + 9);
    return end < 0 ? null : { text: text.slice(at + 9, end), end: end + 3 };
  }
  const end = text.indexOf('<', at);
  if (end < 0) return null;
  const raw = text.slice(at, end);
  const decoded = raw.includes('&') ? decodeEntities(raw) : raw;
  return decoded === null ? null : { text: decoded, end };
}

/** The five predefined entities; any other `&` (numeric, unknown, bare) is left to the full parser. */
function decodeEntities(raw: string): string | null {
  let declined = false;
  const decoded = raw.replace(AMPERSAND, (whole: string, name: string | undefined) => {
    const replacement = name === undefined ? undefined : ENTITY_TEXT.get(name);
    if (replacement === undefined) declined = true;
    return replacement ?? whole;
  });
  return declined ? null : decoded;
}
