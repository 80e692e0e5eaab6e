import { XMLParser } from 'fast-xml-parser';

import type { LeshuaFields } from './leshua.types';

/** The body was not a flat Leshua XML document. */
export class LeshuaXmlParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** An amount on the wire was not a non-negative integer number of fen. */
export class LeshuaAmountError extends Error {
  constructor(readonly value: string) {
    super(`Not an integer fen amount: '${value}'`);
    this.name = new.target.name;
  }
}

/**
 * Request body. 「空值不传递」: empty and absent values are not sent at all (they are not signed either).
 * URLSearchParams encodes a pre-encoded `notify_url` once more, which is what the public implementations do.
 */
export function encodeLeshuaForm(params: Readonly<Record<string, string | null | undefined>>): string {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') form.append(name, value);
  }
  return form.toString();
}

// Values stay strings exactly as sent: no number parsing ("0100" stays "0100"), no trimming (PROTOCOLS
// ambiguity 3), CDATA merged into the text, attributes ignored.
const parser = new XMLParser({
  parseTagValue: false,
  trimValues: false,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: true,
  htmlEntities: false,
});

/**
 * Parses `<leshua><k><![CDATA[v]]></k>...</leshua>` into its children, unknown ones included, since the
 * signature covers them all. `root` null accepts any single root element (notifications: the doc shows
 * no envelope we could rely on).
 */
export function parseLeshuaXml(text: string, root: string | null = 'leshua'): LeshuaFields {
  // Answers never carry a DTD; refusing one rules out entity-expansion tricks.
  if (/<!DOCTYPE/i.test(text)) throw new LeshuaXmlParseError('XML with a DOCTYPE is not accepted');
  let document: unknown;
  try {
    document = parser.parse(text, true);
  } catch (error) {
    throw new LeshuaXmlParseError(`Malformed XML: ${error instanceof Error ? error.message : String(error)}`);
  }
  const roots = elementEntries(document);
  if (roots.length !== 1) throw new LeshuaXmlParseError(`Expected one root element, found ${roots.length}`);
  const [rootName, content] = roots[0];
  if (root !== null && rootName !== root) {
    throw new LeshuaXmlParseError(`Expected root <${root}>, found <${rootName}>`);
  }
  if (content === '') return {};
  const fields: Record<string, string> = {};
  for (const [name, value] of elementEntries(content)) {
    if (typeof value !== 'string') {
      throw new LeshuaXmlParseError(`Field <${name}> is repeated or nested; Leshua fields are flat strings`);
    }
    fields[name] = value;
  }
  return fields;
}

/** Element children of a parsed node; whitespace between elements is dropped, other stray text is an error. */
function elementEntries(node: unknown): Array<[string, unknown]> {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) {
    throw new LeshuaXmlParseError('Expected elements');
  }
  return Object.entries(node).filter(([name, value]) => {
    if (name !== '#text') return true;
    if (typeof value === 'string' && value.trim() === '') return false;
    throw new LeshuaXmlParseError('Unexpected text outside the fields');
  });
}

/** Builds a Leshua-style document with every value in CDATA (the sandbox's answers and notifications). */
export function buildLeshuaXml(fields: Readonly<Record<string, string>>, root = 'leshua'): string {
  const children = Object.entries(fields)
    .map(([name, value]) => `<${name}>${cdata(value)}</${name}>`)
    .join('');
  return `<?xml version="1.0" encoding="utf-8"?><${root}>${children}</${root}>`;
}

/** `]]>` cannot appear inside one CDATA section, so it is split across two. */
function cdata(value: string): string {
  return `<![CDATA[${value.split(']]>').join(']]]]><![CDATA[>')}]]>`;
}

const MAX_FEN = Number.MAX_SAFE_INTEGER;

/** Domain fen -> wire string. Only non-negative safe integers are amounts. */
export function fenToLeshuaAmount(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0) throw new LeshuaAmountError(String(fen));
  return String(fen);
}

/** Wire string -> fen. 「不允许出现小数」: decimals, signs, blanks and exponents are refused. */
export function leshuaAmountToFen(value: string): number {
  if (!/^[0-9]{1,16}$/.test(value)) throw new LeshuaAmountError(value);
  const fen = Number(value);
  if (fen > MAX_FEN) throw new LeshuaAmountError(value);
  return fen;
}

const CHINA_OFFSET_MS = 8 * 3600 * 1000;

/**
 * `refund_time` is documented without a format; the examples are `yyyy-MM-dd HH:mm:ss` in China time
 * (UTC+8). Compact and `T`/`/` separated forms are accepted too. Anything else is `undefined`.
 */
export function parseLeshuaTime(value: string | undefined): Date | undefined {
  const match = /^(\d{4})[-/]?(\d{2})[-/]?(\d{2})[ T]?(\d{2}):?(\d{2}):?(\d{2})(?:\.\d{1,3})?$/.exec(
    value?.trim() ?? '',
  );
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
  const local = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Date.UTC rolls 2025-02-30 over to March; a real timestamp survives the round trip.
  if (local.getUTCMonth() !== month - 1 || local.getUTCDate() !== day || local.getUTCHours() !== hour)
    return undefined;
  if (minute > 59 || second > 59) return undefined;
  return new Date(local.getTime() - CHINA_OFFSET_MS);
}

/** `yyyy-MM-dd HH:mm:ss` in China time, as Leshua writes `refund_time`. */
export function formatLeshuaTime(date: Date): string {
  const iso = new Date(date.getTime() + CHINA_OFFSET_MS).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}
