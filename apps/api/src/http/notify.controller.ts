import { Controller, Param, Post, Req, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { RefundService } from '@refundhub/core';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { Public } from './public.decorator';
import { RAW_BODY, RawBodyLimit, RawBodyRequest } from './raw-body';

/** The header that says what became of a notification (`APPLIED`, `REPEATED`, `NOTIFICATION_AMOUNT_MISSING`, ...). */
export const NOTIFICATION_RESULT_HEADER = 'refundhub-notification';

/**
 * The body limit of `POST /notify/:gateway`: what that gateway can plausibly send, as its module declares
 * it (the core's default for an unknown gateway, which is then answered 404). Give it to
 * `registerRawBodyParsers`.
 */
export function notificationBodyLimit(refunds: Pick<RefundService, 'notificationBodyLimit'>): RawBodyLimit {
  return (request: FastifyRequest) => {
    const params = request.params as Partial<Record<string, string>> | undefined;
    return refunds.notificationBodyLimit(params?.['gateway'] ?? '');
  };
}

/**
 * Gateway callbacks. No API key: the gateway adapter verifies the notification's signature over
 * the raw body, and decides the exact answer (status, content type, body) its gateway expects. The
 * body is capped by the gateway's own limit before it is read ({@link notificationBodyLimit}).
 */
@Public()
@Controller('notify')
export class NotifyController {
  constructor(private readonly refunds: RefundService) {}

  @Post(':gateway')
  @RouteConfig({ [RAW_BODY]: true })
  async notify(
    @Param('gateway') gateway: string,
    @Req() request: RawBodyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    if (request.body !== undefined && !Buffer.isBuffer(request.body)) {
      // A parsed body would fail every signature check in silence; make the wiring mistake loud.
      throw new Error('Notification body was parsed: call registerRawBodyParsers() on the Fastify instance');
    }
    const headers = request.raw.headers;
    const answer = await this.refunds.handleNotification(gateway, {
      rawBody: request.body ?? Buffer.alloc(0),
      contentType: headers['content-type'] ?? null,
      headers,
    });
    void reply
      .status(answer.status)
      .header('content-type', answer.contentType)
      .header(NOTIFICATION_RESULT_HEADER, answer.result)
      .send(answer.body);
  }
}
