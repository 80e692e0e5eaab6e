/**
 * Fen as yuan: `12345` → `¥123.45`, with thousands grouped. Integer arithmetic only: the fen are
 * split with `%` and an exact division, so no amount is ever rounded through a float.
 */
export function formatYuan(fen: number): string {
  if (!Number.isSafeInteger(fen)) return `${fen} fen`;
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const cents = abs % 100;
  const yuan = (abs - cents) / 100;
  const grouped = String(yuan).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}¥${grouped}.${String(cents).padStart(2, '0')}`;
}

/** `12345` → `12,345 fen` (or `12,345 分`): what a yuan amount shows on hover. */
export function formatFen(fen: number, unit: string): string {
  return `${String(fen).replace(/\B(?=(\d{3})+(?!\d))/g, ',')} ${unit}`;
}
