import { unstorableTextReason } from '@refundhub/core';

/** Longest top-level key that a problem repeats as its field; a longer one is reported as `body`. */
const MAX_FIELD_NAME = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;

/** The top-level key a string token spells, when it is one a field problem can name. */
function fieldName(token: string | null): string | null {
  if (token === null || token.length > MAX_FIELD_NAME + 2) return null;
  try {
    const key: unknown = JSON.parse(token);
    return typeof key === 'string' && key !== '' && unstorableTextReason(key) === null ? key : null;
  } catch {
    return null;
  }
}

/**
 * Where JSON `text` nests deeper than `maxDepth` (objects and arrays, the outermost counting as 1):
 * the top-level field the too-deep value sits in (`gatewayOptions`), `body` when there is none
 * (the body itself is an array, or the key is not a plain name), or null when nothing is too deep.
 *
 * Runs on the text, before `JSON.parse`, in one pass that stops at the first level too deep: a
 * megabyte of `[` costs microseconds here, where parsing it, and worse, every recursive check after
 * it (class-transformer, class-validator), would not. Brackets inside strings do not count. Text
 * that is not JSON may be miscounted; `JSON.parse` refuses it next.
 */
export function tooDeeplyNested(text: string, maxDepth: number): string | null {
  let depth = 0;
  let stringStart = -1;
  let lastTopLevelString: string | null = null;
  let topLevelKey: string | null = null;
  let topIsObject = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (stringStart >= 0) {
      if (char === BACKSLASH) i++;
      else if (char === QUOTE) {
        if (depth === 1) lastTopLevelString = text.slice(stringStart, i + 1);
        stringStart = -1;
      }
      continue;
    }
    if (char === QUOTE) stringStart = i;
    else if (char === OPEN_OBJECT || char === OPEN_ARRAY) {
      depth++;
      if (depth === 1) topIsObject = char === OPEN_OBJECT;
      // In a top-level object, the last string before a value opens is that value's key.
      if (depth === 2) topLevelKey = topIsObject ? lastTopLevelString : null;
      if (depth > maxDepth) return (depth > 1 ? fieldName(topLevelKey) : null) ?? 'body';
    } else if (char === CLOSE_OBJECT || char === CLOSE_ARRAY) depth--;
  }
  return null;
}
