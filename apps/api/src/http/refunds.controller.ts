import { Body, Controller, ForbiddenException, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  RefundHistoryView,
  RefundNotFoundError,
  RefundPage,
  RefundService,
  RefundView,
  scopeAllows,
} from '@refundhub/core';
import type { FastifyReply } from 'fastify';

import type { ApiKeyRecord } from './api-keys';
import { Caller } from './caller.decorator';
import { CreateRefundDto, toRequestRefundCommand } from './dto/create-refund.dto';
import { ListRefundsQuery, toRefundListFilter } from './dto/list-refunds.query';

export interface RefundHistoryPage {
  items: RefundHistoryView[];
}

@Controller('refunds')
export class RefundsController {
  constructor(private readonly refunds: RefundService) {}

  /** 201 with a new refund; 200 with the existing one when the same request is replayed. */
  @Post()
  async create(
    @Body() dto: CreateRefundDto,
    @Caller() caller: ApiKeyRecord,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RefundView> {
    if (!scopeAllows(caller.scope, dto.gateway, dto.merchantId)) {
      throw new ForbiddenException({
        statusCode: 403,
        error: 'Forbidden',
        code: 'FORBIDDEN_MERCHANT',
        message: `This API key may not act for merchant '${dto.merchantId}' on gateway '${dto.gateway}'`,
      });
    }
    const { refund, created } = await this.refunds.request(toRequestRefundCommand(dto));
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

  @Get(':id/history')
  async history(@Param('id') id: string, @Caller() caller: ApiKeyRecord): Promise<RefundHistoryPage> {
    await this.getVisible(id, caller);
    return { items: await this.refunds.history(id) };
  }

  /** Asks the gateway now instead of waiting for the scheduler. */
  @Post(':id/sync')
  @HttpCode(200)
  async sync(@Param('id') id: string, @Caller() caller: ApiKeyRecord): Promise<RefundView> {
    await this.getVisible(id, caller);
    return this.refunds.sync(id);
  }

  /** Another merchant's refund answers exactly like a missing one, so ids do not leak existence. */
  private async getVisible(id: string, caller: ApiKeyRecord): Promise<RefundView> {
    const refund = await this.refunds.get(id);
    if (!scopeAllows(caller.scope, refund.gateway, refund.merchantId)) throw new RefundNotFoundError(id);
    return refund;
  }
}
