import type { __Id__Fields } from './__ID__.types';

/** The body was not a flat JSON object of strings. */
export class __Id__ParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * Request body: the fields as a JSON object, absent and empty values left out (they are not signed either).
 * PLACEHOLDER: replace with __Id__'s encoding (form, XML, nested JSON, an encrypted envelope...).
 */
export function encode__Id__Request(fields: Readonly<Record<string, string | null | undefined>>): string {
  const body: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (value !== undefined && value !== null && value !== '') body[name] = value;
  }
  return JSON.stringify(body);
}

/**
 * Reads an answer: a JSON object whose values are all strings, kept as sent (no number parsing, no
 * trimming), unknown fields included since the signature covers them. Throws {@link __Id__ParseError}
 * otherwise, which the client reports as a `malformed` unknown outcome.
 */
export function parse__Id__Answer(text: string): __Id__Fields {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new __Id__ParseError(`Malformed JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new __Id__ParseError('Expected a JSON object');
  }
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(document)) {
    if (typeof value !== 'string') throw new __Id__ParseError(`Field ${name} is not a string`);
    fields[name] = value;
  }
  return fields;
}
