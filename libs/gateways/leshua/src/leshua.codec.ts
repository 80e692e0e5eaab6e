import { XMLParser } from 'fast-xml-parser';

import { readFlatLeshuaXml } from './leshua-flat-xml';
import type { LeshuaFields } from './leshua.types';

/** The body was not a flat Leshua XML document. */
export class LeshuaXmlParseError extends Error {
  constructor(message: string) {
    super(message);
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
  refuseDoctype(text);
  // Nearly every answer is flat; the full parser reads what the fast reader declines, errors included.
  return readFlatLeshuaXml(text, root) ?? parseFully(text, root);
}

/** {@link parseLeshuaXml} without the fast reader: the reference its specs and benchmark compare with. */
export function parseLeshuaXmlFully(text: string, root: string | null = 'leshua'): LeshuaFields {
  refuseDoctype(text);
  return parseFully(text, root);
}

/** Answers never carry a DTD; refusing one rules out entity-expansion tricks. */
function refuseDoctype(text: string): void {
  if (/<!DOCTYPE/i.test(text)) throw new LeshuaXmlParseError('XML with a DOCTYPE is not accepted');
}

function parseFully(text: string, root: string | null): LeshuaFields {
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
