import type { UnknownOutcome, UnknownReason } from '@refundhub/core';

/** The optional gateway fields an unknown outcome may keep for support. */
export interface UnknownOutcomeExtras {
  rawStatus?: string;
  code?: string;
  message?: string;
}

/**
 * Builds an {@link UnknownOutcome}, leaving out extras that are absent or empty, so adapters stay
 * one line per case and outcomes compare cleanly in tests.
 */
export function unknownOutcome(
  reason: UnknownReason,
  detail: string,
  extras: UnknownOutcomeExtras = {},
): UnknownOutcome {
  const outcome: UnknownOutcome = { kind: 'unknown', reason, detail };
  if (extras.rawStatus !== undefined && extras.rawStatus !== '') outcome.rawStatus = extras.rawStatus;
  if (extras.code !== undefined && extras.code !== '') outcome.code = extras.code;
  if (extras.message !== undefined && extras.message !== '') outcome.message = extras.message;
  return outcome;
}

/** Narrows an adapter's intermediate result to the unknown outcome it may already be. */
export function isUnknownOutcome(value: { kind: string }): value is UnknownOutcome {
  return value.kind === 'unknown';
}
