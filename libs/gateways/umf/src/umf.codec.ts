import type { UmfFields } from './umf.types';

/** The body was not a flat JSON object of strings. */
export class UmfParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * Request body: one form field `context` whose value is the JSON object of every field, `sign`
 * included (「报文具体内容包含在context内」). Every value is a string (`"amount":"1"`); absent and empty
 * values are left out, as they are from the signature.
 */
export function encodeUmfRequest(fields: Readonly<Record<string, string | null | undefined>>): string {
  const body: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (value !== undefined && value !== null && value !== '') body[name] = value;
  }
  return new URLSearchParams({ context: JSON.stringify(body) }).toString();
}

/** The sandbox's side: the JSON object a `context=` body carries. Throws {@link UmfParseError} otherwise. */
export function decodeUmfRequest(body: string): UmfFields {
  const context = new URLSearchParams(body).get('context');
  if (context === null) throw new UmfParseError('No context field');
  return parseUmfJson(context);
}

/** An answer: a flat JSON object, read as {@link parseUmfJson}. Anything else throws (→ `malformed`). */
export function parseUmfAnswer(text: string): UmfFields {
  return parseUmfJson(text);
}

/** A notification body (`Content-Type: application/json`, UTF-8), read as {@link parseUmfJson}. */
export function parseUmfNotification(body: Buffer): UmfFields {
  return parseUmfJson(body.toString('utf8'));
}

/**
 * A flat JSON object, every value kept as the text the signature covers: strings as sent (no
 * trimming), a number or boolean (undocumented, JSON allows it) as its JSON text, null as absent
 * (never signed). Nested objects and arrays are refused: no documented field has them, and a signed
 * string cannot be rebuilt from them.
 */
export function parseUmfJson(text: string): UmfFields {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new UmfParseError(`Malformed JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new UmfParseError('Expected a JSON object');
  }
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(document)) {
    if (typeof value === 'string') fields[name] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') fields[name] = JSON.stringify(value);
    else if (value !== null) throw new UmfParseError(`Field ${name} is not a flat value`);
  }
  return fields;
}
