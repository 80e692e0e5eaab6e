import { DEFAULT_NOTIFICATION_BODY_LIMIT } from '@refundhub/core';

/**
 * How much of a notification a gateway module is willing to read, declared once per gateway from what
 * the gateway documents, with room to spare. A notification is unauthenticated until its signature is
 * checked, so everything before that check (reading, scanning, parsing) is bounded by these.
 */
export interface NotificationLimits {
  /** The largest body, in bytes: the port's `maxBodyBytes`, refused (413) by the API before it is read. */
  maxBodyBytes: number;
  /**
   * The most fields one text may hold: XML elements (the root included), JSON object members and array
   * items, form pairs. A JSON text inside a field (Baofoo's `dataContent`) is a text of its own.
   */
  maxFields: number;
  /** The deepest nesting: XML elements (`<leshua><k>` is 2), JSON objects and arrays (a flat object is 1). */
  maxDepth: number;
}

/** For a gateway that declares nothing: the port's default body limit, and room for any flat format. */
export const DEFAULT_NOTIFICATION_LIMITS: Readonly<NotificationLimits> = Object.freeze({
  maxBodyBytes: DEFAULT_NOTIFICATION_BODY_LIMIT,
  maxFields: 128,
  maxDepth: 8,
});

/**
 * A gateway's limits: the defaults, with what it declares instead. Each must be a positive integer.
 *
 * @example
 * ```ts
 * export const LESHUA_NOTIFICATION_LIMITS = notificationLimits({ maxBodyBytes: 8 * 1024, maxFields: 64, maxDepth: 2 });
 * ```
 */
export function notificationLimits(declared: Partial<NotificationLimits>): Readonly<NotificationLimits> {
  const limits = { ...DEFAULT_NOTIFICATION_LIMITS, ...declared };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value < 1)
      throw new RangeError(`${name} must be a positive integer, not ${value}`);
  }
  return Object.freeze(limits);
}
