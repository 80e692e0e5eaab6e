import { DEFAULT_NOTIFICATION_BODY_LIMIT } from '@refundhub/core';

import { notificationShapeRefusal, readNotificationText } from './notification-body';
import { DEFAULT_NOTIFICATION_LIMITS, notificationLimits } from './notification-limits';

const LIMITS = notificationLimits({ maxBodyBytes: 64, maxFields: 4, maxDepth: 2 });

const inbound = (body: string | Buffer) => ({
  rawBody: Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'),
  contentType: null,
  headers: {},
});

describe(readNotificationText.name, () => {
  it('hands over the text of a body within the limits', () => {
    expect(readNotificationText(inbound('<leshua><a>退</a></leshua>'), { format: 'xml', limits: LIMITS })).toEqual({
      kind: 'text',
      text: '<leshua><a>退</a></leshua>',
    });
  });

  it('refuses a body over the byte limit without reading it as text', () => {
    expect(readNotificationText(inbound(Buffer.alloc(65, '{')), { format: 'json', limits: LIMITS })).toEqual({
      kind: 'rejected',
      code: 'NOTIFICATION_TOO_LARGE',
      reason: 'a body of 65 bytes, over the limit of 64',
    });
  });

  it.each([
    ['xml', '<leshua><a><b/></a></leshua>'],
    ['json', '{"a":1,"b":2,"c":3,"d":4,"e":5}'],
    ['form', 'a&b&c&d&e'],
  ] as const)('refuses %s shaped past the limits before it is parsed', (format, body) => {
    expect(readNotificationText(inbound(body), { format, limits: LIMITS })).toMatchObject({
      kind: 'rejected',
      code: 'NOTIFICATION_TOO_COMPLEX',
      reason: expect.stringMatching(/^notification refused before parsing: /),
    });
  });
});

describe(notificationShapeRefusal.name, () => {
  it('names what it scanned', () => {
    expect(
      notificationShapeRefusal('{"a":{"b":{"c":1}}}', { format: 'json', limits: LIMITS, what: 'dataContent' }),
    ).toEqual({
      kind: 'rejected',
      code: 'NOTIFICATION_TOO_COMPLEX',
      reason: 'dataContent refused before parsing: nested deeper than 2',
    });
  });
});

describe(notificationLimits.name, () => {
  it('fills in what a gateway does not declare from the defaults', () => {
    expect(DEFAULT_NOTIFICATION_LIMITS.maxBodyBytes).toBe(DEFAULT_NOTIFICATION_BODY_LIMIT);
    expect(notificationLimits({ maxDepth: 2 })).toEqual({ ...DEFAULT_NOTIFICATION_LIMITS, maxDepth: 2 });
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses a limit of %p', (value) => {
    expect(() => notificationLimits({ maxFields: value })).toThrow(RangeError);
  });
});
