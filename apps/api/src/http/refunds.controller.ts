import {
  BadRequestException,
  Body,
  Controller,
  ForbiddenException,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Res,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import {
  FieldProblem,
  MerchantScope,
  RefundHistoryPage,
  RefundPage,
  RefundService,
  RefundValidationError,
  RefundView,
  RequestRefundCommand,
  RequestRefundResult,
  WebhookService,
  scopeAllows,
} from '@refundhub/core';
import type { FastifyReply } from 'fastify';

import type { ApiKeyRecord } from './api-keys';
import { visibleRefund } from './visible-refund';
import { Caller } from './caller.decorator';
import {
  CreateRefundDto,
  RefundCommandDraft,
  toRefundCommandDraft,
  toRequestRefundCommand,
} from './dto/create-refund.dto';
import { checkCreateRefundBody } from './dto/create-refund.check';
import { HistoryPageQuery, toHistoryPageQuery } from './dto/history-page.query';
import { ListRefundsQuery, toRefundListFilter } from './dto/list-refunds.query';
import { ResolveRefundDto } from './dto/resolve-refund.dto';
import {
  API_KEY_SECURITY,
  ApiErrors,
  REFUND_EXAMPLE,
  REFUND_HISTORY_PAGE_EXAMPLE,
  RefundHistoryPageSchema,
  RefundPageSchema,
  RefundSchema,
} from './openapi';
import { OperatorScopeGuard } from './operator-scope.guard';
import { validationFailed } from './validation.pipe';

export type { RefundHistoryPage } from '@refundhub/core';

/** The body's own problems first, then the core's, none on a field the body's checks named already. */
function onePerField(shape: readonly FieldProblem[], core: readonly FieldProblem[]): FieldProblem[] {
  const named = new Set(shape.map((p) => p.field));
  return [...shape, ...core.filter((p) => !named.has(p.field))];
}

/** Whether the key may act for the body's merchant; one it cannot read, only a key for every merchant may. */
function mayActFor(scope: MerchantScope, draft: RefundCommandDraft): boolean {
  const readable = !draft.malformed.includes('gateway') && !draft.malformed.includes('merchantId');
  // No `gateway:merchant` entry names '': only a key for every merchant allows it.
  return readable ? scopeAllows(scope, draft.command.gateway, draft.command.merchantId) : scopeAllows(scope, '', '');
}

const REFUND_ID_PARAM = { name: 'id', description: 'The refund id (`rf_...`).', example: REFUND_EXAMPLE.id };

@ApiTags('refunds')
@ApiBearerAuth(API_KEY_SECURITY)
@ApiErrors('MISSING_API_KEY', 'INVALID_API_KEY', 'RATE_LIMITED_KEY', 'RATE_LIMITED_ADDRESS')
@Controller('refunds')
export class RefundsController {
  constructor(
    private readonly refunds: RefundService,
    private readonly webhooks: WebhookService,
  ) {}

  /**
   * 201 with a new refund; 200 with the existing one when the same request is replayed. Bad input
   * is one 400 `VALIDATION_FAILED` listing every problem: the body's shape, then the core's money
   * rules and the gateway's limits on the fields that are well-formed. An unknown gateway or
   * merchant (404) and a gateway's business rule (422) are answered only for input without problems.
   */
  @Post()
  @ApiOperation({
    summary: 'Refund a paid order, fully or in part',
    description:
      '201 with the new refund. The same refund number with the same parameters returns the existing refund (200); with other parameters it is a 409. Bad input is one 400 listing every problem.',
  })
  @ApiBody({
    type: CreateRefundDto,
    examples: {
      partial: {
        summary: 'A part of a paid Leshua order',
        value: {
          gateway: 'leshua',
          merchantId: '0000000018',
          refundNo: 'R20250101000001',
          amount: 100,
          order: { merchantOrderNo: 'T20250101000001', totalAmount: 300 },
          reason: 'customer returned the goods',
        },
      },
    },
  })
  @ApiCreatedResponse({ description: 'The refund, created', type: RefundSchema, example: REFUND_EXAMPLE })
  @ApiOkResponse({
    description: 'The same request again: the existing refund',
    type: RefundSchema,
    example: REFUND_EXAMPLE,
  })
  @ApiErrors(
    'VALIDATION_FAILED',
    'FORBIDDEN_MERCHANT',
    'GATEWAY_UNKNOWN',
    'MERCHANT_UNKNOWN',
    'REFUND_CONFLICT',
    'ORDER_CONFLICT',
    'ORDER_REFERENCE_CONFLICT',
    'JSON_BODY_TOO_LARGE',
    'UNSUPPORTED_MEDIA_TYPE',
    'REFUND_EXCEEDS_BALANCE',
    'REFUND_WINDOW_CLOSED',
    'DATABASE_BUSY',
  )
  async create(
    @Body() body: unknown,
    @Caller() caller: ApiKeyRecord,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RefundView> {
    const dto = this.readRefundBody(body, caller);
    if (!scopeAllows(caller.scope, dto.gateway, dto.merchantId)) {
      throw new ForbiddenException({
        statusCode: 403,
        error: 'Forbidden',
        code: 'FORBIDDEN_MERCHANT',
        message: `This API key may not act for merchant '${dto.merchantId}' on gateway '${dto.gateway}'`,
      });
    }
    // The key's name picks the secret that signs the refund's webhooks.
    const cmd: RequestRefundCommand = { ...toRequestRefundCommand(dto), requestedBy: caller.name };
    const webhookProblems = this.notifyUrlProblems(cmd.notifyUrl, caller);
    if (webhookProblems.length) throw new BadRequestException(validationFailed(webhookProblems));
    const { refund, created } = await this.requestRefund(cmd);
    void reply.status(created ? 201 : 200);
    return refund;
  }

  @Get()
  @ApiOperation({
    summary: "List refunds, newest first, filtered; only the key's merchants",
    description: 'A page at a time: pass `nextCursor` as `cursor` for the next one.',
  })
  @ApiOkResponse({ type: RefundPageSchema, example: { items: [REFUND_EXAMPLE], nextCursor: null } })
  @ApiErrors('QUERY_INVALID', 'CURSOR_INVALID')
  list(@Query() query: ListRefundsQuery, @Caller() caller: ApiKeyRecord): Promise<RefundPage> {
    return this.refunds.list(toRefundListFilter(query), caller.scope);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One refund' })
  @ApiParam(REFUND_ID_PARAM)
  @ApiOkResponse({ type: RefundSchema, example: REFUND_EXAMPLE })
  @ApiErrors('PATH_INVALID', 'REFUND_NOT_FOUND')
  get(@Param('id') id: string, @Caller() caller: ApiKeyRecord): Promise<RefundView> {
    return visibleRefund(this.refunds, id, caller);
  }

  /** Oldest first, a page at a time (`limit`, `cursor`), as `GET /refunds` pages. */
  @Get(':id/history')
  @ApiOperation({
    summary: "A refund's history, oldest first",
    description:
      'Every transition, and every answer that changed nothing (a replayed or late notification), a page at a time.',
  })
  @ApiParam(REFUND_ID_PARAM)
  @ApiOkResponse({ type: RefundHistoryPageSchema, example: REFUND_HISTORY_PAGE_EXAMPLE })
  @ApiErrors('QUERY_INVALID', 'CURSOR_INVALID', 'PATH_INVALID', 'REFUND_NOT_FOUND')
  async history(
    @Param('id') id: string,
    @Query() query: HistoryPageQuery,
    @Caller() caller: ApiKeyRecord,
  ): Promise<RefundHistoryPage> {
    await visibleRefund(this.refunds, id, caller);
    return this.refunds.historyPage(id, toHistoryPageQuery(query));
  }

  /** Asks the gateway now instead of waiting for the scheduler. */
  @Post(':id/sync')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Ask the gateway now where the refund stands',
    description:
      'Instead of waiting for the scheduler. A refund the gateway never got is submitted again with the same refund number. Answers the refund as it stands.',
  })
  @ApiParam(REFUND_ID_PARAM)
  @ApiOkResponse({ type: RefundSchema, example: REFUND_EXAMPLE })
  @ApiErrors('PATH_INVALID', 'REFUND_NOT_FOUND', 'DATABASE_BUSY')
  async sync(@Param('id') id: string, @Caller() caller: ApiKeyRecord): Promise<RefundView> {
    await visibleRefund(this.refunds, id, caller);
    return this.refunds.sync(id);
  }

  /**
   * A person settles an unfinished refund as SUCCEEDED or FAILED (see RefundService.resolve): only a
   * key with the `operator` scope (403 otherwise), only for its own merchants' refunds (404), never a
   * final one (409 REFUND_ALREADY_FINAL). The key's name is recorded as who did it.
   */
  @Post(':id/resolve')
  @HttpCode(200)
  @UseGuards(OperatorScopeGuard)
  @ApiOperation({
    summary: 'Settle an unfinished refund by hand (operator scope)',
    description:
      "A person who learned the outcome elsewhere settles the refund as SUCCEEDED or FAILED; the key's name and the reason go into its history. Only a key with the `operator` scope, never a final refund.",
  })
  @ApiParam(REFUND_ID_PARAM)
  @ApiBody({ type: ResolveRefundDto })
  @ApiOkResponse({
    type: RefundSchema,
    example: {
      ...REFUND_EXAMPLE,
      status: 'SUCCEEDED',
      order: { ...REFUND_EXAMPLE.order, refundedAmount: 100 },
      finishedAt: '2025-01-03T09:30:00.000Z',
      updatedAt: '2025-01-03T09:30:00.000Z',
    },
  })
  @ApiErrors(
    'RESOLVE_INVALID',
    'PATH_INVALID',
    'OPERATOR_SCOPE_REQUIRED',
    'REFUND_NOT_FOUND',
    'REFUND_ALREADY_FINAL',
    'REFUND_BUSY',
    'JSON_BODY_TOO_LARGE',
    'UNSUPPORTED_MEDIA_TYPE',
    'DATABASE_BUSY',
  )
  async resolve(
    @Param('id') id: string,
    @Body() body: ResolveRefundDto,
    @Caller() caller: ApiKeyRecord,
  ): Promise<RefundView> {
    await visibleRefund(this.refunds, id, caller);
    try {
      return await this.refunds.resolve({ refundId: id, status: body.status, reason: body.reason, actor: caller.name });
    } catch (error) {
      if (error instanceof RefundValidationError) throw new BadRequestException(validationFailed(error.problems));
      throw error;
    }
  }

  /**
   * The body as a DTO, or a 400 with all its problems. The body is taken untyped so that the app-wide
   * pipe lets it through, and checked here. The core's checks run only for a key that may act for the
   * body's merchant: any other gets the shape problems alone, as before, and then a 403.
   */
  private readRefundBody(body: unknown, caller: ApiKeyRecord): CreateRefundDto {
    const checked = checkCreateRefundBody(body);
    if (checked.dto) return checked.dto;
    const draft = toRefundCommandDraft(body, checked.problems);
    const more =
      draft && mayActFor(caller.scope, draft)
        ? [
            ...this.refunds.check(draft.command, draft.malformed),
            ...(draft.malformed.includes('notifyUrl') ? [] : this.notifyUrlProblems(draft.command.notifyUrl, caller)),
          ]
        : [];
    throw new BadRequestException(validationFailed(onePerField(checked.problems, more)));
  }

  /**
   * A notify URL whose webhooks could never be sent is refused with the request: one on an address
   * that is not public (unless the operator allows private targets), or one that no secret of this
   * key, nor the common one, can sign (webhooks are never sent unsigned).
   */
  private notifyUrlProblems(notifyUrl: string | null | undefined, caller: ApiKeyRecord): FieldProblem[] {
    return this.webhooks.notifyUrlProblems({ notifyUrl, requestedBy: caller.name });
  }

  /** The core's field problems (the gateway's limits) as the same 400 as the body's: one code for bad input. */
  private async requestRefund(cmd: RequestRefundCommand): Promise<RequestRefundResult> {
    try {
      return await this.refunds.request(cmd);
    } catch (error) {
      if (error instanceof RefundValidationError) throw new BadRequestException(validationFailed(error.problems));
      throw error;
    }
  }

  /** Another merchant's refund answers exactly like a missing one, so ids do not leak existence. */
}
