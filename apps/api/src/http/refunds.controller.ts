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
  FieldProblem,
  MerchantScope,
  RefundHistoryPage,
  RefundNotFoundError,
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
import { Caller } from './caller.decorator';
import {
  CreateRefundDto,
  RefundCommandDraft,
  toRefundCommandDraft,
  toRequestRefundCommand,
} from './dto/create-refund.dto';
import { HistoryPageQuery, toHistoryPageQuery } from './dto/history-page.query';
import { ListRefundsQuery, toRefundListFilter } from './dto/list-refunds.query';
import { ResolveRefundDto } from './dto/resolve-refund.dto';
import { OperatorScopeGuard } from './operator-scope.guard';
import { checkBody, validationFailed } from './validation.pipe';

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
  async create(
    @Body() body: unknown,
    @Caller() caller: ApiKeyRecord,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RefundView> {
    const dto = await this.readRefundBody(body, caller);
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
  list(@Query() query: ListRefundsQuery, @Caller() caller: ApiKeyRecord): Promise<RefundPage> {
    return this.refunds.list(toRefundListFilter(query), caller.scope);
  }

  @Get(':id')
  get(@Param('id') id: string, @Caller() caller: ApiKeyRecord): Promise<RefundView> {
    return this.getVisible(id, caller);
  }

  /** Oldest first, a page at a time (`limit`, `cursor`), as `GET /refunds` pages. */
  @Get(':id/history')
  async history(
    @Param('id') id: string,
    @Query() query: HistoryPageQuery,
    @Caller() caller: ApiKeyRecord,
  ): Promise<RefundHistoryPage> {
    await this.getVisible(id, caller);
    return this.refunds.historyPage(id, toHistoryPageQuery(query));
  }

  /** Asks the gateway now instead of waiting for the scheduler. */
  @Post(':id/sync')
  @HttpCode(200)
  async sync(@Param('id') id: string, @Caller() caller: ApiKeyRecord): Promise<RefundView> {
    await this.getVisible(id, caller);
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
  async resolve(
    @Param('id') id: string,
    @Body() body: ResolveRefundDto,
    @Caller() caller: ApiKeyRecord,
  ): Promise<RefundView> {
    await this.getVisible(id, caller);
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
  private async readRefundBody(body: unknown, caller: ApiKeyRecord): Promise<CreateRefundDto> {
    const checked = await checkBody(CreateRefundDto, body);
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
  private async getVisible(id: string, caller: ApiKeyRecord): Promise<RefundView> {
    const refund = await this.refunds.get(id);
    if (!scopeAllows(caller.scope, refund.gateway, refund.merchantId)) throw new RefundNotFoundError(id);
    return refund;
  }
}
