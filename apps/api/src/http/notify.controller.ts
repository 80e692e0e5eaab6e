import { Controller, Param, Post, Req, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { RefundService } from '@refundhub/core';
import type { FastifyReply } from 'fastify';

import { Public } from './public.decorator';
import { RAW_BODY, RawBodyRequest } from './raw-body';

/**
 * Gateway callbacks. No API key: the gateway adapter verifies the notification's signature over
 * the raw body, and decides the exact answer (status, content type, body) its gateway expects.
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
    void reply.status(answer.status).header('content-type', answer.contentType).send(answer.body);
  }
}
