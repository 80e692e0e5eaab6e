import { Controller, Param, Post, Req, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiBody, ApiConsumes, ApiExtraModels, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RefundService } from '@refundhub/core';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { ApiErrors, errorMediaType, errorSchemas } from './openapi';
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

const NOTIFY_ERRORS = [
  'NOTIFY_GATEWAY_UNKNOWN',
  'GATEWAY_NOTIFICATIONS_UNSUPPORTED',
  'NOTIFICATION_TOO_LARGE',
] as const;

/** The gateway's own answers are text of its choosing (Leshua's `000000`, `FAIL`), whatever their status. */
const GATEWAY_TEXT = { 'text/plain': { schema: { type: 'string' }, example: 'FAIL' } };

const RESULT_HEADER = {
  [NOTIFICATION_RESULT_HEADER]: {
    description: 'What became of the notification: `APPLIED`, `REPEATED`, `NOTIFICATION_AMOUNT_MISSING`, ...',
    schema: { type: 'string' },
  },
};

/**
 * Gateway callbacks. No API key: the gateway adapter verifies the notification's signature over
 * the raw body, and decides the exact answer (status, content type, body) its gateway expects. The
 * body is capped by the gateway's own limit before it is read ({@link notificationBodyLimit}).
 */
@ApiTags('notifications')
@ApiErrors('RATE_LIMITED_ADDRESS')
@ApiExtraModels(...errorSchemas(NOTIFY_ERRORS))
@Public()
@Controller('notify')
export class NotifyController {
  constructor(private readonly refunds: RefundService) {}

  @Post(':gateway')
  @RouteConfig({ [RAW_BODY]: true })
  @ApiOperation({
    summary: "A gateway's refund notification (called by the gateway, not by you)",
    description:
      "Give the gateway `${api.publicUrl}/notify/<gateway>`. No API key: the notification's signature is checked over the raw body, whatever its content type, and the answer is the exact one the gateway expects (status, content type, body). The body is capped by what the gateway can send.",
  })
  @ApiParam({ name: 'gateway', description: 'A configured gateway id.', example: 'leshua' })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/xml', 'application/json', 'text/plain')
  @ApiBody({ description: 'As the gateway signs and sends it.', schema: { type: 'string' } })
  @ApiResponse({
    status: 200,
    description: "Applied (or heard before): the gateway's acknowledgement",
    headers: RESULT_HEADER,
    content: { 'text/plain': { schema: { type: 'string' }, example: '000000' } },
  })
  @ApiResponse({
    status: 400,
    description: 'A forged, unreadable or incomplete notification, changing nothing: the refusal the gateway expects',
    headers: RESULT_HEADER,
    content: GATEWAY_TEXT,
  })
  @ApiResponse({
    status: 404,
    description:
      "No such gateway (JSON), a gateway that sends no notifications (JSON), or a refund this API does not have (the gateway's text)",
    content: { 'application/json': errorMediaType(NOTIFY_ERRORS.slice(0, 2)), ...GATEWAY_TEXT },
  })
  @ApiResponse({
    status: 413,
    description: 'A body over what the gateway can send, refused before it is read',
    content: { 'application/json': errorMediaType(NOTIFY_ERRORS.slice(2)) },
  })
  @ApiResponse({
    status: 500,
    description: 'The notification could not be recorded; the gateway sends it again',
    headers: RESULT_HEADER,
    content: GATEWAY_TEXT,
  })
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
