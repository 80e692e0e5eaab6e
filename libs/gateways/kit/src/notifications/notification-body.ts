import type { InboundNotification, RejectedNotification } from '@refundhub/core';

import type { NotificationLimits } from './notification-limits';
import { formShapeProblem, jsonShapeProblem, xmlShapeProblem, type ShapeLimits } from './shape-scan';

/** How a notification's text is laid out: what the shape scan counts in it. */
export type NotificationFormat = 'xml' | 'json' | 'form';

const SCANS: Readonly<Record<NotificationFormat, (text: string, limits: ShapeLimits) => string | null>> = {
  xml: xmlShapeProblem,
  json: jsonShapeProblem,
  form: formShapeProblem,
};

/**
 * Why `text` is refused before it is parsed (`NOTIFICATION_TOO_COMPLEX`), or null when its fields and
 * nesting are within `limits`. For a text inside a notification too: Baofoo's `dataContent` is JSON in
 * a form field, scanned on its own once the form is read.
 */
export function notificationShapeRefusal(
  text: string,
  input: { format: NotificationFormat; limits: ShapeLimits; what?: string },
): RejectedNotification | null {
  const problem = SCANS[input.format](text, input.limits);
  if (problem === null) return null;
  return {
    kind: 'rejected',
    code: 'NOTIFICATION_TOO_COMPLEX',
    reason: `${input.what ?? 'notification'} refused before parsing: ${problem}`,
  };
}

/**
 * The first step of every gateway's `notifications.parse`: the body as UTF-8 text, if it is no larger
 * than the gateway's `maxBodyBytes` and its shape is within its limits; otherwise the refusal to return,
 * with nothing of the body parsed. A host has refused a larger body already; this holds for a host app
 * that hands the core any body it received.
 *
 * @example
 * ```ts
 * const read = readNotificationText(notification, { format: 'xml', limits: LESHUA_NOTIFICATION_LIMITS });
 * if (read.kind === 'rejected') return read;
 * const fields = parseLeshuaXml(read.text, null);
 * ```
 */
export function readNotificationText(
  notification: InboundNotification,
  input: {
    /** The body's layout, or how to tell it from the text (Baofoo posts JSON or a form). */
    format: NotificationFormat | ((text: string) => NotificationFormat);
    limits: NotificationLimits;
  },
): { kind: 'text'; text: string } | RejectedNotification {
  const { rawBody } = notification;
  if (rawBody.length > input.limits.maxBodyBytes) {
    return {
      kind: 'rejected',
      code: 'NOTIFICATION_TOO_LARGE',
      reason: `a body of ${rawBody.length} bytes, over the limit of ${input.limits.maxBodyBytes}`,
    };
  }
  const text = rawBody.toString('utf8');
  const format = typeof input.format === 'function' ? input.format(text) : input.format;
  return notificationShapeRefusal(text, { format, limits: input.limits }) ?? { kind: 'text', text };
}
