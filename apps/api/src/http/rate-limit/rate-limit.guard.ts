import { ExecutionContext, HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerRequest,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';

import { ApiKeyDirectory } from '../api-key-directory';
import { API_KEYS, ApiKeyRecord } from '../api-keys';
import { RATE_LIMIT_OPTIONS, RateLimitOptions } from './rate-limit.options';

interface Client {
  /** What the budget is counted by: the key's name, or the address of a caller without a valid key. */
  tracker: string;
  limit: number;
  describe: string;
}

/**
 * One budget per API key across every route, and one per client address for whatever comes
 * without a valid key. It runs before the key check, so guessing keys spends the address's budget.
 * The counts live in this process: each replica counts its own.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  private readonly keys: ApiKeyDirectory;

  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    @Inject(API_KEYS) records: readonly ApiKeyRecord[],
    @Inject(RATE_LIMIT_OPTIONS) private readonly limits: RateLimitOptions | false,
  ) {
    super(options, storage, reflector);
    this.keys = new ApiKeyDirectory(records);
  }

  protected override async shouldSkip(): Promise<boolean> {
    return this.limits === false;
  }

  protected override async handleRequest(props: ThrottlerRequest): Promise<boolean> {
    const client = this.clientOf(props.context.switchToHttp().getRequest<FastifyRequest>());
    return super.handleRequest({ ...props, limit: client.limit, getTracker: () => client.tracker });
  }

  /** Every route shares the budget: the library's default key is per route. */
  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `${throttlerName}:${tracker}`;
  }

  protected override async throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const client = this.clientOf(context.switchToHttp().getRequest<FastifyRequest>());
    const limits = this.limits as RateLimitOptions;
    throw new HttpException(
      {
        statusCode: HttpStatus.TOO_MANY_REQUESTS,
        error: 'Too Many Requests',
        code: 'RATE_LIMITED',
        message:
          `Too many requests ${client.describe}: at most ${client.limit} every ${limits.windowMs / 1000} s. ` +
          `Retry after ${detail.timeToBlockExpire} s`,
        retryAfterSeconds: detail.timeToBlockExpire,
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }

  private clientOf(request: FastifyRequest): Client {
    const limits = this.limits as RateLimitOptions;
    const record = this.keys.fromHeader(request.headers.authorization);
    if (record) return { tracker: `key:${record.name}`, limit: limits.perKey, describe: 'for this API key' };
    return { tracker: `address:${request.ip}`, limit: limits.perAddress, describe: 'from this address' };
  }
}
