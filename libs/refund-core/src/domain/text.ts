/**
 * Cutting text that came from outside (gateway messages and codes, raw statuses, notification
 * fields, caller reasons, log lines) to a length, so that what is kept is a clean prefix of what
 * was received: never half a surrogate pair, and, where the limit allows, never a base character
 * without the combining marks that follow it.
 *
 * Lengths are counted in code points, the way PostgreSQL counts the characters of a `varchar(n)`
 * (SQLite stores plain text of any length). `String.prototype.length` counts UTF-16 units, so an
 * emoji counts twice there and once here.
 */

/** Grapheme clusters (user-perceived characters); the rules do not depend on the locale. */
const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });

/**
 * A value received from outside (a notification's field, a reason that quotes one), ready for a log
 * line: cut to `maxCodePoints` on a character boundary ({@link truncateText}, `…` marks a cut), then
 * escaped ({@link escapeForLog}). A missing value reads `?`.
 */
export function textForLog(value: string | null | undefined, maxCodePoints = 128): string {
  if (value === null || value === undefined) return '?';
  const kept = truncateText(value, maxCodePoints);
  return escapeForLog(kept.length < value.length ? `${kept}…` : kept);
}

/**
 * The longest prefix of `text` made of whole grapheme clusters that has at most `maxCodePoints`
 * code points; `text` itself when it is no longer than that.
 *
 * - Never ends inside a surrogate pair: an astral character (an emoji, a rare CJK ideograph) is
 *   kept or left out whole. A lone surrogate already in `text` counts as one code point and is kept
 *   as it is, but cutting never creates one.
 * - Never ends between a base character and its combining marks, nor inside an emoji sequence
 *   (ZWJ, flags, skin tones), as `Intl.Segmenter` draws cluster boundaries: the cluster that does
 *   not fit is left out whole, so `e` + U+0301 is never stored as a bare `e`.
 * - Except for a single cluster longer than `maxCodePoints` on its own (in practice a run of
 *   stacked combining marks), which could never be kept whole: there the text is cut on code
 *   points, inside that cluster, so it is not dropped along with everything after the cut.
 *
 * So the result is always a prefix of `text` of at most `maxCodePoints` code points; it is shorter
 * than the code-point cut ({@link truncateCodePoints}) only by the part of one cluster that did
 * not fit. Nothing is added (no ellipsis): callers that show a cut add their own mark. The work
 * grows with `maxCodePoints`, not with the length of `text`.
 *
 * @param maxCodePoints a non-negative integer, such as a column's length.
 * @throws RangeError when `maxCodePoints` is not a non-negative integer.
 */
export function truncateText(text: string, maxCodePoints: number): string {
  assertLimit(maxCodePoints);
  // Each code point is one or two UTF-16 units: a text this short has no more code points than that.
  if (text.length <= maxCodePoints) return text;
  // Only the first 2 × max + 1 code points are segmented: segmenting a message of a megabyte takes
  // seconds. A cluster boundary depends only on the text before it and the one code point after it
  // (UAX #29), so the boundaries before the window's last code point are the text's own; and the
  // cluster at the cut starts within the first `max` code points, so the window shows it whole or
  // shows it longer than `max`.
  const window = truncateCodePoints(text, 2 * maxCodePoints + 1);
  let kept = 0;
  let end = 0;
  for (const { segment } of graphemes.segment(window)) {
    const size = codePointCount(segment);
    if (kept + size > maxCodePoints) {
      return size > maxCodePoints ? truncateCodePoints(text, maxCodePoints) : text.slice(0, end);
    }
    kept += size;
    end += segment.length;
  }
  // Every cluster of the window fits: the window is the whole text.
  return text;
}

/**
 * The longest prefix of `text` of at most `maxCodePoints` whole code points, ignoring grapheme
 * clusters: never half a surrogate pair; a lone surrogate already in `text` is one code point and
 * kept as it is. Prefer {@link truncateText}, which also keeps combining marks with their base.
 *
 * @throws RangeError when `maxCodePoints` is not a non-negative integer.
 */
export function truncateCodePoints(text: string, maxCodePoints: number): string {
  assertLimit(maxCodePoints);
  if (text.length <= maxCodePoints) return text;
  let end = 0;
  for (let kept = 0; kept < maxCodePoints && end < text.length; kept++) end += unitsAt(text, end);
  return text.slice(0, end);
}

/** How many code points `text` has (a lone surrogate is one), as PostgreSQL's `char_length` counts them. */
export function codePointCount(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i += unitsAt(text, i)) count += 1;
  return count;
}

/** 2 where a surrogate pair starts at `index`, otherwise 1. */
function unitsAt(text: string, index: number): 1 | 2 {
  const unit = text.charCodeAt(index);
  if (unit < 0xd800 || unit > 0xdbff || index + 1 >= text.length) return 1;
  const next = text.charCodeAt(index + 1);
  return next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
}

function assertLimit(maxCodePoints: number): void {
  if (!Number.isInteger(maxCodePoints) || maxCodePoints < 0) {
    throw new RangeError(`A text limit is a non-negative integer, not ${maxCodePoints}`);
  }
}

/**
 * Characters that must not reach a log line as they are: C0 controls (newlines forge log lines,
 * ESC starts terminal escape sequences), DEL, C1 controls, the Unicode line and paragraph
 * separators (line breaks to JavaScript and to many log viewers), the bidirectional formatting
 * characters (they reorder what a reader sees), and lone surrogates (not text at all).
 */
const UNSAFE_IN_LOGS =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point.
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const SHORT_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * `text` made safe to write into one log line: every character that could break the line, drive
 * the terminal or hide what follows is written as an escape (`\n`, `\r`, `\t`, otherwise `\u001b`
 * and the like); everything else, CJK and emoji included, is kept as it is. Use it on everything
 * that came from outside (request fields and paths, notifications, gateway answers, receivers'
 * errors) before it is logged.
 *
 * Backslashes are left alone, so escaping twice changes nothing: a caller may escape a whole line
 * that already holds an escaped part. The price is that a sender can write a literal `\n` that
 * reads like an escaped newline; it still cannot start a new line.
 */
export function escapeForLog(text: string): string {
  return text.replace(
    UNSAFE_IN_LOGS,
    (char) => SHORT_ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** A NUL, or a surrogate that is not half of a pair. */
const NUL = '\u0000';
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Why `text` cannot be stored and read back as it is, or null when it can.
 *
 * - A NUL: PostgreSQL refuses it in `text` and `jsonb`, and SQLite cuts a statement at it.
 * - A lone surrogate (half of a UTF-16 pair, as JSON's `"\ud800"` makes): it has no UTF-8 form,
 *   so the drivers store U+FFFD instead, and the value read back is not the value sent.
 *
 * The answer is a message for a field problem (`{ field, message }`).
 */
export function unstorableTextReason(text: string): string | null {
  if (text.includes(NUL)) return 'must not contain a NUL character (U+0000)';
  if (LONE_SURROGATE.test(text)) return 'must be well-formed Unicode: it contains a lone surrogate';
  return null;
}
