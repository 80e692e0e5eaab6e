import type { NotificationAnswer, NotificationRefusalCode } from '../gateway/refund-gateway.port';

/**
 * What became of a notification, in one stable code beside the gateway's own answer (the API sends it
 * as the `Refundhub-Notification` header):
 * - `APPLIED`: it changed the refund. `UNCHANGED`: it agreed with the refund as it stood.
 * - `RECORDED`: it contradicted a final refund; kept in the history, not applied. `REPEATED`: the same
 *   again, counted on that history row. All four are acknowledged, so the gateway stops sending.
 * - Refused before it was believed ({@link NotificationRefusalCode}), or after:
 *   `NOTIFICATION_AMOUNT_MISSING` (verified, but without the amount its gateway always sends),
 *   `NOTIFICATION_AMOUNT_MISMATCH` (another amount; kept in the history), `NOTIFICATION_UNKNOWN_REFUND`,
 *   `NOTIFICATION_INDEFINITE` (it said nothing definite). `NOTIFICATION_ERROR`: it could not be handled.
 */
export type NotificationResult =
  | 'APPLIED'
  | 'UNCHANGED'
  | 'RECORDED'
  | 'REPEATED'
  | NotificationRefusalCode
  | 'NOTIFICATION_AMOUNT_MISSING'
  | 'NOTIFICATION_AMOUNT_MISMATCH'
  | 'NOTIFICATION_UNKNOWN_REFUND'
  | 'NOTIFICATION_INDEFINITE'
  | 'NOTIFICATION_ERROR';

/** The exact answer the gateway expects, and what became of the notification. */
export interface NotificationReply extends NotificationAnswer {
  result: NotificationResult;
}
