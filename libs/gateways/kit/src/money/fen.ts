import { truncateText } from '@refundhub/core';

/**
 * Money crosses the wire as integer fen: a decimal string (Leshua, ChaoYing, UMF) or a JSON integer
 * (Baofoo). Anything else (decimals, signs, exponents, blanks, unsafe integers) is refused rather than
 * rounded, since a misread amount would refund the wrong sum.
 */
export class AmountError extends Error {
  constructor(readonly value: unknown) {
    super(`Not an integer fen amount: ${describe(value)}`);
    this.name = new.target.name;
  }
}

/** At most 16 digits: every safe integer fits, and nothing longer is worth parsing. */
const WIRE_FEN = /^[0-9]{1,16}$/;

/** Domain fen → wire string. Only non-negative safe integers are amounts. */
export function fenToWire(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0) throw new AmountError(fen);
  return String(fen);
}

/** Wire string → fen: digits only (「不允许出现小数」), at most 16 of them, a safe integer. */
export function wireToFen(text: string): number {
  if (typeof text !== 'string' || !WIRE_FEN.test(text)) throw new AmountError(text);
  const fen = Number(text);
  if (!Number.isSafeInteger(fen)) throw new AmountError(text);
  return fen;
}

/**
 * A JSON amount → fen, leniently: Baofoo documents integers but has been seen sending strings where
 * it documents numbers (PROTOCOLS.md §5a), so a JSON integer and a digit string are both accepted.
 */
export function jsonToFen(value: unknown): number {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) throw new AmountError(value);
    return value;
  }
  if (typeof value === 'string') return wireToFen(value);
  throw new AmountError(value);
}

/** The refused value for the message: a string is shown quoted, cut to 40 characters (never inside one) with `…`. */
function describe(value: unknown): string {
  if (typeof value === 'string') {
    const shown = truncateText(value, 40);
    return `'${shown === value ? value : `${shown}…`}'`;
  }
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined)
    return String(value);
  return `(${Array.isArray(value) ? 'array' : typeof value})`;
}
