import type { FieldProblem } from '@refundhub/core';
import { isDefined, isObject, isString, isURL, matches } from 'class-validator';

import { CREATE_REFUND_MAX_LENGTH as MAX, type CreateRefundDto, type RefundOrderDto } from './create-refund.dto';
import {
  aboveOrderTotalMessage,
  BLANK_MESSAGE,
  BLANK_OPTIONAL_MESSAGE,
  fenMessage,
  fitsCodePoints,
  hasOrderReference,
  HTTP_URL_MESSAGE,
  HTTP_URL_OPTIONS,
  isAboveOrderTotal,
  isFenAmount,
  maxCodePointsMessage,
  NOT_A_STRING_MESSAGE,
  NOT_AN_OBJECT_MESSAGE,
  NOT_BLANK,
  ORDER_REFERENCE_MESSAGE,
  REQUIRED_MESSAGE,
  rfc3339DateTimeProblem,
} from './validators';

/** A body checked by {@link checkCreateRefundBody}: the DTO, or every problem of its shape. */
export type CheckedBody<T> = { dto: T; problems: [] } | { dto: null; problems: FieldProblem[] };

type Fields = Record<string, unknown>;

// The DTOs' properties in declaration order, the order class-validator reports them in.
const REFUND_FIELDS = [
  'gateway',
  'merchantId',
  'refundNo',
  'amount',
  'order',
  'reason',
  'notifyUrl',
  'gatewayOptions',
] as const satisfies ReadonlyArray<keyof CreateRefundDto>;
const ORDER_FIELDS = [
  'merchantOrderNo',
  'gatewayOrderNo',
  'totalAmount',
  'paidAt',
  'payMethod',
] as const satisfies ReadonlyArray<keyof RefundOrderDto>;

const KNOWN_REFUND_FIELDS: ReadonlySet<string> = new Set(REFUND_FIELDS);
const KNOWN_ORDER_FIELDS: ReadonlySet<string> = new Set(ORDER_FIELDS);

const UNKNOWN_FIELD = 'is not a known field';

// Each function answers a field's first failed constraint, in the order class-validator runs them
// (stopAtFirstError): IsDefined first, then the property's decorators bottom-up, applyDecorators'
// lists in their own order; IsOptional skips them all for null and undefined.

function requiredText(value: unknown, max: number): string | null {
  if (!isDefined(value)) return REQUIRED_MESSAGE;
  if (!isString(value)) return NOT_A_STRING_MESSAGE;
  if (!matches(value, NOT_BLANK)) return BLANK_MESSAGE;
  return fitsCodePoints(value, max) ? null : maxCodePointsMessage(max);
}

function optionalText(value: unknown, max: number): string | null {
  if (value === null || value === undefined) return null;
  if (!isString(value)) return NOT_A_STRING_MESSAGE;
  if (!matches(value, NOT_BLANK)) return BLANK_OPTIONAL_MESSAGE;
  return fitsCodePoints(value, max) ? null : maxCodePointsMessage(max);
}

function fen(value: unknown): string | null {
  return isFenAmount(value) ? null : fenMessage(value);
}

function amount(value: unknown, order: unknown): string | null {
  const total = typeof order === 'object' && order !== null ? (order as Fields).totalAmount : undefined;
  return fen(value) ?? (isAboveOrderTotal(value, total) ? aboveOrderTotalMessage(total) : null);
}

function paidAt(value: unknown): string | null {
  return value === null || value === undefined ? null : rfc3339DateTimeProblem(value);
}

function notifyUrl(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (!fitsCodePoints(value, MAX.notifyUrl)) return maxCodePointsMessage(MAX.notifyUrl);
  return isURL(value as string, HTTP_URL_OPTIONS) ? null : HTTP_URL_MESSAGE;
}

function gatewayOptions(value: unknown): string | null {
  return value === null || value === undefined || isObject(value) ? null : NOT_AN_OBJECT_MESSAGE;
}

/** class-validator's whitelist: every own key without constraints, before any property's problems. */
function unknownFields(fields: Fields, known: ReadonlySet<string>, prefix: string, problems: FieldProblem[]): void {
  for (const key of Object.keys(fields)) {
    if (!known.has(key)) problems.push({ field: prefix + key, message: UNKNOWN_FIELD });
  }
}

function add(problems: FieldProblem[], field: string, message: string | null): void {
  if (message !== null) problems.push({ field, message });
}

function checkOrder(order: Fields, problems: FieldProblem[]): void {
  unknownFields(order, KNOWN_ORDER_FIELDS, 'order.', problems);
  add(problems, 'order.merchantOrderNo', optionalText(order.merchantOrderNo, MAX.merchantOrderNo));
  add(problems, 'order.gatewayOrderNo', optionalText(order.gatewayOrderNo, MAX.gatewayOrderNo));
  add(problems, 'order.totalAmount', fen(order.totalAmount));
  add(problems, 'order.paidAt', paidAt(order.paidAt));
  add(problems, 'order.payMethod', optionalText(order.payMethod, MAX.payMethod));
}

/**
 * The `POST /refunds` body checked as the app-wide pipe checks a `CreateRefundDto` (validation.pipe.ts),
 * with the same problems in the same order, for every body the app-wide pipe lets through (it has
 * refused keys named after `Object.prototype`'s members already). class-transformer and
 * class-validator cost this, the busiest route, about 0.1 ms of CPU and a dozen promises a request;
 * this does the same in one synchronous pass. The DTO's decorators stay, for the OpenAPI document
 * and for hosts that validate the DTO themselves; a property test (create-refund.check.spec.ts)
 * holds the two equal.
 */
export function checkCreateRefundBody(body: unknown): CheckedBody<CreateRefundDto> {
  const problems: FieldProblem[] = [];
  // class-validator checks null and undefined as {}, any other primitive as an object without
  // fields, and an array as an object whose indices are unknown fields.
  const fields: Fields = typeof body === 'object' && body !== null ? (body as Fields) : {};
  unknownFields(fields, KNOWN_REFUND_FIELDS, '', problems);

  add(problems, 'gateway', requiredText(fields.gateway, MAX.gateway));
  add(problems, 'merchantId', requiredText(fields.merchantId, MAX.merchantId));
  add(problems, 'refundNo', requiredText(fields.refundNo, MAX.refundNo));
  add(problems, 'amount', amount(fields.amount, fields.order));
  const order = fields.order;
  if (!isDefined(order)) add(problems, 'order', REQUIRED_MESSAGE);
  else if (!isObject(order)) add(problems, 'order', NOT_AN_OBJECT_MESSAGE);
  else if (!hasOrderReference(order)) add(problems, 'order', ORDER_REFERENCE_MESSAGE);
  else checkOrder(order as Fields, problems);
  add(problems, 'reason', optionalText(fields.reason, MAX.reason));
  add(problems, 'notifyUrl', notifyUrl(fields.notifyUrl));
  add(problems, 'gatewayOptions', gatewayOptions(fields.gatewayOptions));

  if (problems.length) return { dto: null, problems };
  const valid = order as Fields;
  return {
    dto: {
      gateway: fields.gateway as string,
      merchantId: fields.merchantId as string,
      refundNo: fields.refundNo as string,
      amount: fields.amount as number,
      order: {
        merchantOrderNo: valid.merchantOrderNo as string | null | undefined,
        gatewayOrderNo: valid.gatewayOrderNo as string | null | undefined,
        totalAmount: valid.totalAmount as number,
        paidAt: valid.paidAt as string | null | undefined,
        payMethod: valid.payMethod as string | null | undefined,
      },
      reason: fields.reason as string | null | undefined,
      notifyUrl: fields.notifyUrl as string | null | undefined,
      gatewayOptions: fields.gatewayOptions as Record<string, unknown> | undefined,
    },
    problems: [],
  };
}
