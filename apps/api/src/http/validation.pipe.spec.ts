import { ArgumentMetadata, BadRequestException } from '@nestjs/common';

import { CreateRefundDto, toRefundCommandDraft, toRequestRefundCommand } from './dto/create-refund.dto';
import { ListRefundsQuery, toRefundListFilter } from './dto/list-refunds.query';
import { validRefundBody } from './testing/refund-bodies';
import { createValidationPipe } from './validation.pipe';
import type { ValidationFailedBody } from './validation.pipe';

const asBody: ArgumentMetadata = { type: 'body', metatype: CreateRefundDto };
const asQuery: ArgumentMetadata = { type: 'query', metatype: ListRefundsQuery };

const validBody = validRefundBody;

describe('createValidationPipe', () => {
  const sut = createValidationPipe();

  async function rejected(value: unknown, metadata: ArgumentMetadata = asBody): Promise<ValidationFailedBody> {
    try {
      await sut.transform(value, metadata);
    } catch (error) {
      if (!(error instanceof BadRequestException)) throw error;
      expect(error.getStatus()).toBe(400);
      return error.getResponse() as ValidationFailedBody;
    }
    throw new Error('expected the pipe to reject');
  }

  async function problems(
    value: unknown,
    metadata: ArgumentMetadata = asBody,
  ): Promise<Array<{ field: string; message: string }>> {
    return (await rejected(value, metadata)).errors;
  }

  function withChange(change: (body: Record<string, any>) => void): Record<string, unknown> {
    const body = validBody();
    change(body);
    return body;
  }

  describe('POST /refunds body', () => {
    it('accepts the DESIGN.md example and maps it to the core command', async () => {
      const dto = (await sut.transform(validBody(), asBody)) as CreateRefundDto;
      expect(dto).toBeInstanceOf(CreateRefundDto);
      expect(toRequestRefundCommand(dto)).toEqual({
        gateway: 'leshua',
        merchantId: '0000000018',
        refundNo: 'R20250101000001',
        amount: 100,
        order: {
          merchantOrderNo: 'T20250101000001',
          gatewayOrderNo: null,
          totalAmount: 300,
          paidAt: new Date('2025-01-01T04:00:00.000Z'),
          payMethod: 'WECHAT',
        },
        reason: 'customer returned the goods',
        notifyUrl: 'https://shop.example.com/hooks/refunds',
        gatewayOptions: {},
      });
    });

    it('accepts a minimal body and fills the optional parts with null', async () => {
      const body = {
        gateway: 'umf',
        merchantId: '30000101',
        refundNo: 'R1',
        amount: 1,
        order: { gatewayOrderNo: 'G1', totalAmount: 1 },
      };
      const dto = (await sut.transform(body, asBody)) as CreateRefundDto;
      expect(toRequestRefundCommand(dto)).toEqual({
        ...body,
        order: { merchantOrderNo: null, gatewayOrderNo: 'G1', totalAmount: 1, paidAt: null, payMethod: null },
        reason: null,
        notifyUrl: null,
        gatewayOptions: {},
      });
    });

    it('answers with the documented 400 body', async () => {
      expect(await rejected(withChange((b) => delete b.amount))).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        code: 'VALIDATION_FAILED',
        message: 'Validation failed',
        errors: [{ field: 'amount', message: 'is required' }],
      });
    });

    it('lists every missing required field', async () => {
      expect(await problems({})).toEqual([
        { field: 'gateway', message: 'is required' },
        { field: 'merchantId', message: 'is required' },
        { field: 'refundNo', message: 'is required' },
        { field: 'amount', message: 'is required' },
        { field: 'order', message: 'is required' },
      ]);
    });

    it.each([
      ['a string', '100', 'must be a JSON number of fen, not a string'],
      ['a fraction', 1.5, 'must be an integer number of fen (1 yuan = 100), not a fraction'],
      ['zero', 0, 'must be at least 1 fen'],
      ['negative', -100, 'must be at least 1 fen'],
      ['above 10^12', 1_000_000_000_001, 'must be at most 1000000000000 fen'],
      ['a boolean', true, 'must be an integer number of fen'],
    ])('rejects an amount that is %s', async (_case, amount, message) => {
      expect(await problems(withChange((b) => (b.amount = amount)))).toEqual([{ field: 'amount', message }]);
    });

    it.each([
      ['a string', '300', 'must be a JSON number of fen, not a string'],
      ['zero', 0, 'must be at least 1 fen'],
      ['a fraction', 299.99, 'must be an integer number of fen (1 yuan = 100), not a fraction'],
    ])('rejects an order.totalAmount that is %s, with its nested path', async (_case, totalAmount, message) => {
      expect(await problems(withChange((b) => (b.order.totalAmount = totalAmount)))).toEqual([
        { field: 'order.totalAmount', message },
      ]);
    });

    it('rejects an amount above the order total', async () => {
      expect(await problems(withChange((b) => (b.amount = 301)))).toEqual([
        { field: 'amount', message: 'must not exceed order.totalAmount (300)' },
      ]);
    });

    it('accepts a full refund of the order total', async () => {
      await expect(
        sut.transform(
          withChange((b) => (b.amount = 300)),
          asBody,
        ),
      ).resolves.toBeInstanceOf(CreateRefundDto);
    });

    it('rejects an order with neither order number', async () => {
      const body = withChange((b) => {
        b.order.merchantOrderNo = null;
        delete b.order.gatewayOrderNo;
      });
      expect(await problems(body)).toEqual([{ field: 'order', message: 'needs merchantOrderNo or gatewayOrderNo' }]);
    });

    it('rejects an order that is not an object', async () => {
      expect(await problems(withChange((b) => (b.order = 'T2025')))).toEqual([
        { field: 'order', message: 'must be an object' },
      ]);
    });

    it.each([
      ['refundNo', 65],
      ['merchantId', 65],
      ['gateway', 33],
      ['reason', 257],
    ])('rejects a %s longer than allowed', async (field, length) => {
      expect(await problems(withChange((b) => (b[field] = 'R'.repeat(length))))).toEqual([
        { field, message: `must be at most ${length - 1} characters` },
      ]);
    });

    it('counts characters as the database does (code points), so what passes fits the column', async () => {
      // 200 emoji with a variation selector: 400 code points, which a 256-character column refuses.
      expect(await problems(withChange((b) => (b.reason = '☺\uFE0F'.repeat(200))))).toEqual([
        { field: 'reason', message: 'must be at most 256 characters' },
      ]);
      await expect(
        sut.transform(
          withChange((b) => (b.reason = '😀'.repeat(256))),
          asBody,
        ),
      ).resolves.toBeInstanceOf(CreateRefundDto);
      expect(await problems(withChange((b) => (b.notifyUrl = `https://shop.example.com/${'é'.repeat(500)}`)))).toEqual([
        { field: 'notifyUrl', message: 'must be at most 512 characters' },
      ]);
    });

    it('rejects over-long and blank order numbers with their nested path', async () => {
      const body = withChange((b) => {
        b.order.merchantOrderNo = 'T'.repeat(65);
        b.order.gatewayOrderNo = '  ';
      });
      expect(await problems(body)).toEqual([
        { field: 'order.merchantOrderNo', message: 'must be at most 64 characters' },
        { field: 'order.gatewayOrderNo', message: 'must not be blank (leave it out or send null)' },
      ]);
    });

    it('rejects a blank refundNo and a numeric merchantId', async () => {
      const body = withChange((b) => {
        b.refundNo = ' ';
        b.merchantId = 18;
      });
      expect(await problems(body)).toEqual([
        { field: 'merchantId', message: 'must be a string' },
        { field: 'refundNo', message: 'must not be blank' },
      ]);
    });

    it('rejects unknown fields, top-level and nested', async () => {
      const body = withChange((b) => {
        b.currency = 'CNY';
        b.order.buyer = 'x';
      });
      expect(await problems(body)).toEqual(
        expect.arrayContaining([
          { field: 'currency', message: 'is not a known field' },
          { field: 'order.buyer', message: 'is not a known field' },
        ]),
      );
    });

    it.each([
      ['paidAt', (b: Record<string, any>) => (b.order.paidAt = '01/01/2025'), 'order.paidAt'],
      ['notifyUrl scheme', (b: Record<string, any>) => (b.notifyUrl = 'ftp://shop.example.com/x'), 'notifyUrl'],
      [
        'notifyUrl length',
        (b: Record<string, any>) => (b.notifyUrl = `https://shop.example.com/${'a'.repeat(500)}`),
        'notifyUrl',
      ],
      ['gatewayOptions', (b: Record<string, any>) => (b.gatewayOptions = ['x']), 'gatewayOptions'],
      ['payMethod', (b: Record<string, any>) => (b.order.payMethod = 'W'.repeat(33)), 'order.payMethod'],
    ])('rejects a bad %s', async (_case, change, field) => {
      expect((await problems(withChange(change))).map((p) => p.field)).toEqual([field]);
    });

    it.each([
      ['an array', [validBody()]],
      ['a string', 'refund please'],
      ['nothing', undefined],
    ])('rejects a body that is %s', async (_case, body) => {
      await expect(sut.transform(body, asBody)).rejects.toBeInstanceOf(BadRequestException);
    });
  });

  describe('GET /refunds query', () => {
    it('converts limit and dates explicitly and drops what was not asked for', async () => {
      const query = (await sut.transform(
        { status: 'UNKNOWN', limit: '20', createdFrom: '2025-01-01T00:00:00Z', createdTo: '2025-01-02T00:00:00+08:00' },
        asQuery,
      )) as ListRefundsQuery;
      expect(toRefundListFilter(query)).toEqual({
        status: 'UNKNOWN',
        limit: 20,
        createdFrom: new Date('2025-01-01T00:00:00Z'),
        createdTo: new Date('2025-01-01T16:00:00Z'),
      });
    });

    it.each([
      [{ limit: '0' }, 'limit', 'must be an integer from 1 to 200'],
      [{ limit: '201' }, 'limit', 'must be an integer from 1 to 200'],
      [{ limit: '1e2' }, 'limit', 'must be an integer from 1 to 200'],
      [{ limit: '' }, 'limit', 'must be an integer from 1 to 200'],
      [{ status: 'DONE' }, 'status', 'must be one of REQUESTED, PROCESSING, UNKNOWN, SUCCEEDED, FAILED'],
      [
        { createdFrom: 'yesterday' },
        'createdFrom',
        'must be an RFC 3339 date-time with an offset, e.g. 2025-01-01T12:00:00+08:00',
      ],
      [
        { createdFrom: '2025-02-01T00:00:00Z', createdTo: '2025-01-01T00:00:00Z' },
        'createdTo',
        'must not be before createdFrom',
      ],
      [{ gateway: ['leshua', 'umf'] }, 'gateway', 'must be a string'],
      [{ page: '2' }, 'page', 'is not a known field'],
    ])('rejects %p', async (query, field, message) => {
      expect(await problems(query, asQuery)).toEqual([{ field, message }]);
    });
  });

  describe('toRefundCommandDraft', () => {
    it('reads the fields that passed as the command would have them, and names the ones that did not', () => {
      const body = withChange((b) => {
        b.amount = 1.5;
        b.order.merchantOrderNo = 'T'.repeat(65);
        b.currency = 'CNY';
      });
      const draft = toRefundCommandDraft(body, [
        { field: 'amount', message: 'x' },
        { field: 'order.merchantOrderNo', message: 'x' },
        { field: 'currency', message: 'is not a known field' },
      ]);
      expect(draft?.malformed).toEqual(['amount', 'order.merchantOrderNo', 'currency']);
      // The malformed values come through as they are: the core does not look at them.
      const expected = toRequestRefundCommand(validBody() as unknown as CreateRefundDto);
      expect(draft?.command).toEqual({
        ...expected,
        amount: 1.5,
        order: { ...expected.order, merchantOrderNo: 'T'.repeat(65) },
      });
    });

    it('makes the order numbers malformed, not the whole order, for an order without one', () => {
      const body = withChange((b) => {
        b.order.merchantOrderNo = null;
      });
      expect(toRefundCommandDraft(body, [{ field: 'order', message: 'x' }])?.malformed).toEqual([
        'order.merchantOrderNo',
        'order.gatewayOrderNo',
      ]);
    });

    it('makes the whole order malformed when it is not an object', () => {
      const draft = toRefundCommandDraft(
        withChange((b) => (b.order = 'T1')),
        [{ field: 'order', message: 'must be an object' }],
      );
      expect(draft?.malformed).toEqual(['order']);
      expect(draft?.command.order).toEqual({
        merchantOrderNo: null,
        gatewayOrderNo: null,
        totalAmount: 0,
        paidAt: null,
        payMethod: null,
      });
    });

    it.each([
      ['an array', [validBody()]],
      ['a string', 'refund please'],
      ['nothing', undefined],
    ])('has nothing to read in a body that is %s', (_case, body) => {
      expect(toRefundCommandDraft(body, [{ field: 'gateway', message: 'is required' }])).toBeNull();
    });
  });
});
