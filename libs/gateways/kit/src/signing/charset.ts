/**
 * The bytes a signature covers. Every gateway signs UTF-8, except that UMF's platform may sign its
 * answers and notifications over GBK bytes (PROTOCOLS.md §5a), so verifiers try both.
 */
export type Charset = 'utf8' | 'gbk';

/** Java's `getBytes("GBK")` (and iconv-lite) write `?` for a character GBK cannot represent. */
const UNMAPPABLE = 0x3f;

let gbkTable: Map<number, number> | undefined;

/** The bytes of `text` in `charset`. */
export function encodeText(text: string, charset: Charset = 'utf8'): Buffer {
  return charset === 'gbk' ? encodeGbk(text) : Buffer.from(text, 'utf8');
}

/**
 * GBK without a dependency: Node ships a GBK decoder (ICU) but no encoder, so the encoder is the
 * decoder's table read backwards, built once on first use (about 24 000 two-byte codes). ASCII is one
 * byte, U+20AC is 0x80 (as in Windows code page 936 and the WHATWG GBK encoder), anything else GBK
 * lacks becomes `?`, as the Java platforms that sign with GBK do.
 */
function encodeGbk(text: string): Buffer {
  const table = gbkTable ?? (gbkTable = buildGbkTable());
  const bytes: number[] = [];
  for (const char of text) {
    const codePoint = char.codePointAt(0) ?? UNMAPPABLE;
    if (codePoint < 0x80) {
      bytes.push(codePoint);
      continue;
    }
    const code = table.get(codePoint);
    if (code === undefined) bytes.push(UNMAPPABLE);
    else if (code < 0x100) bytes.push(code);
    else bytes.push(code >> 8, code & 0xff);
  }
  return Buffer.from(bytes);
}

function buildGbkTable(): Map<number, number> {
  const decoder = new TextDecoder('gbk');
  const table = new Map<number, number>([[0x20ac, 0x80]]);
  const pair = new Uint8Array(2);
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      pair[0] = lead;
      pair[1] = trail;
      const char = decoder.decode(pair);
      const codePoint = char.codePointAt(0);
      // The first code in table order wins, as in the WHATWG encoder.
      if (codePoint !== undefined && char !== '\ufffd' && !table.has(codePoint))
        table.set(codePoint, (lead << 8) | trail);
    }
  }
  return table;
}
