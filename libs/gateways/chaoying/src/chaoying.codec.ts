import type { ChaoyingFields, ChaoyingListedRefund } from './chaoying.types';

/** The body was not a flat JSON object of strings. */
export class ChaoyingParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * Request body (「统一采用x-www-form-urlencoded编码格式」): absent and empty values are left out, as
 * they are from the signature.
 */
export function encodeChaoyingForm(fields: Readonly<Record<string, string | null | undefined>>): string {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    if (value !== undefined && value !== null && value !== '') form.append(name, value);
  }
  return form.toString();
}

/**
 * Reads an answer: a flat JSON object, every value kept as the text the signature covers. Strings stay
 * as sent; a number or boolean (not documented, but JSON allows it) is kept as its JSON text; nested
 * objects, arrays and null are refused, since no documented field has them (`refund_list` is a string).
 */
export function parseChaoyingAnswer(text: string): ChaoyingFields {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new ChaoyingParseError(`Malformed JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new ChaoyingParseError('Expected a JSON object');
  }
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(document)) {
    if (typeof value === 'string') fields[name] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') fields[name] = JSON.stringify(value);
    else throw new ChaoyingParseError(`Field ${name} is not a flat value`);
  }
  return fields;
}

/** `refund_list`: a JSON string holding an array of refunds. Throws {@link ChaoyingParseError} otherwise. */
export function parseChaoyingRefundList(text: string | undefined): ChaoyingListedRefund[] {
  if (text === undefined || text === '') return [];
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch (error) {
    throw new ChaoyingParseError(`refund_list is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!Array.isArray(list) || list.some((item) => typeof item !== 'object' || item === null || Array.isArray(item))) {
    throw new ChaoyingParseError('refund_list is not a list of refunds');
  }
  return list.map((item: Record<string, unknown>) =>
    Object.fromEntries(
      Object.entries(item).map(([name, value]) => [name, typeof value === 'string' ? value : JSON.stringify(value)]),
    ),
  );
}
