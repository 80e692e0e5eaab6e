import type { BaofooFields } from './baofoo.types';

/** The body was not a flat JSON object of strings. */
export class BaofooParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * Request body: the fields as a JSON object, absent and empty values left out (they are not signed either).
 * PLACEHOLDER: replace with Baofoo's encoding (form, XML, nested JSON, an encrypted envelope...).
 */
export function encodeBaofooRequest(fields: Readonly<Record<string, string | null | undefined>>): string {
  const body: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (value !== undefined && value !== null && value !== '') body[name] = value;
  }
  return JSON.stringify(body);
}

/**
 * Reads an answer: a JSON object whose values are all strings, kept as sent (no number parsing, no
 * trimming), unknown fields included since the signature covers them. Throws {@link BaofooParseError}
 * otherwise, which the client reports as a `malformed` unknown outcome.
 */
export function parseBaofooAnswer(text: string): BaofooFields {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new BaofooParseError(`Malformed JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new BaofooParseError('Expected a JSON object');
  }
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(document)) {
    if (typeof value !== 'string') throw new BaofooParseError(`Field ${name} is not a string`);
    fields[name] = value;
  }
  return fields;
}
