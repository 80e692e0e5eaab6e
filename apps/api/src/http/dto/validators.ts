import { applyDecorators } from '@nestjs/common';
import {
  IsDefined,
  IsOptional,
  IsString,
  isURL,
  Matches,
  registerDecorator,
  ValidationArguments,
  ValidationOptions,
} from 'class-validator';

import { RFC3339_MESSAGE, parseRfc3339, rfc3339Problem } from './rfc3339';

/** Largest amount we accept, in fen (10 billion yuan): far above any order, far below 2^53. */
export const MAX_FEN = 1_000_000_000_000;

// Each rule and message below has one source, shared by the decorators and by the hand-written
// check of the `POST /refunds` body (create-refund.check.ts), so the two cannot drift apart.

export const REQUIRED_MESSAGE = 'is required';
export const NOT_A_STRING_MESSAGE = 'must be a string';
export const BLANK_MESSAGE = 'must not be blank';
export const BLANK_OPTIONAL_MESSAGE = 'must not be blank (leave it out or send null)';
export const NOT_AN_OBJECT_MESSAGE = 'must be an object';
export const ORDER_REFERENCE_MESSAGE = 'needs merchantOrderNo or gatewayOrderNo';

/** A notify URL: absolute, http or https, a host name without a top-level domain allowed. */
export const HTTP_URL_OPTIONS: NonNullable<Parameters<typeof isURL>[1]> = {
  protocols: ['http', 'https'],
  require_protocol: true,
  require_tld: false,
};
export const HTTP_URL_MESSAGE = 'must be an http(s) URL';

/** What a text must match to count as not blank. */
export const NOT_BLANK = /\S/;

/** Whether `value` is an amount in integer fen, 1..{@link MAX_FEN}. */
export function isFenAmount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_FEN;
}

/** What is wrong with an amount that is not {@link isFenAmount}. */
export function fenMessage(value: unknown): string {
  if (value === undefined || value === null) return REQUIRED_MESSAGE;
  if (typeof value === 'string') return 'must be a JSON number of fen, not a string';
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be an integer number of fen';
  if (!Number.isInteger(value)) return 'must be an integer number of fen (1 yuan = 100), not a fraction';
  if (value < 1) return 'must be at least 1 fen';
  return `must be at most ${MAX_FEN} fen`;
}

/** Whether `value` is not a string longer than `max` code points. */
export function fitsCodePoints(value: unknown, max: number): boolean {
  return typeof value !== 'string' || [...value].length <= max;
}

export function maxCodePointsMessage(max: number): string {
  return `must be at most ${max} characters`;
}

/**
 * An amount in integer fen, 1..{@link MAX_FEN}. One decorator with one message per kind of
 * mistake, because "100" and 1.5 are the two errors callers actually make.
 */
export function IsFen(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isFen',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: isFenAmount,
        defaultMessage: ({ value }: ValidationArguments) => fenMessage(value),
      },
    });
}

/**
 * At most `max` characters counted as the database counts them: code points (`varchar(n)` on
 * PostgreSQL). class-validator's MaxLength counts an emoji with a variation selector as one, so a
 * text it accepts could still overflow the column and fail the insert.
 */
export function MaxCodePoints(max: number, options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'maxCodePoints',
      target: target.constructor,
      propertyName: String(propertyName),
      constraints: [max],
      options: { message: maxCodePointsMessage(max), ...options },
      validator: {
        validate: (value: unknown) => fitsCodePoints(value, max),
      },
    });
}

/** Required, non-blank string of at most `max` characters. */
export function RequiredText(max: number): PropertyDecorator {
  return applyDecorators(
    IsDefined({ message: REQUIRED_MESSAGE }),
    IsString({ message: NOT_A_STRING_MESSAGE }),
    Matches(NOT_BLANK, { message: BLANK_MESSAGE }),
    MaxCodePoints(max),
  );
}

/** Optional (absent or null) string; when given, non-blank and at most `max` characters. */
export function OptionalText(max: number): PropertyDecorator {
  return applyDecorators(
    IsOptional(),
    IsString({ message: NOT_A_STRING_MESSAGE }),
    Matches(NOT_BLANK, { message: BLANK_OPTIONAL_MESSAGE }),
    MaxCodePoints(max),
  );
}

function isFen(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}

function isPresentText(value: unknown): boolean {
  return typeof value === 'string' && value.trim() !== '';
}

/** Whether a refund of `amount` is above the order's `total`: only once both are amounts. */
export function isAboveOrderTotal(amount: unknown, total: unknown): boolean {
  return isFen(amount) && isFen(total) && amount > total;
}

export function aboveOrderTotalMessage(total: unknown): string {
  return `must not exceed order.totalAmount (${String(total)})`;
}

/** Whether an order names an order number; a value that is not an object is left to IsObject. */
export function hasOrderReference(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true;
  const order = value as { merchantOrderNo?: unknown; gatewayOrderNo?: unknown };
  return isPresentText(order.merchantOrderNo) || isPresentText(order.gatewayOrderNo);
}

/** What is wrong with a date-time field's value (absent or null is left to IsOptional), or null. */
export function rfc3339DateTimeProblem(value: unknown): string | null {
  return typeof value === 'string' ? rfc3339Problem(value) : RFC3339_MESSAGE;
}

function orderTotal(object: object): unknown {
  return (object as { order?: { totalAmount?: unknown } }).order?.totalAmount;
}

/** The refund amount cannot exceed the order's total (checked only once both are valid amounts). */
export function NotAboveOrderTotal(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'notAboveOrderTotal',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: (value: unknown, { object }: ValidationArguments) => !isAboveOrderTotal(value, orderTotal(object)),
        defaultMessage: ({ object }: ValidationArguments) => aboveOrderTotalMessage(orderTotal(object)),
      },
    });
}

/** An order is found by the merchant's order number, the gateway's, or both; never neither. */
export function HasOrderReference(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'hasOrderReference',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: hasOrderReference,
        defaultMessage: () => ORDER_REFERENCE_MESSAGE,
      },
    });
}

/**
 * A string that is an RFC 3339 date-time with an offset, within years 1 to 9999 ({@link rfc3339Problem});
 * absent or null is left to IsOptional.
 */
export function IsRfc3339DateTime(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isRfc3339DateTime',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: (value: unknown) => rfc3339DateTimeProblem(value) === null,
        defaultMessage: ({ value }: ValidationArguments) => rfc3339DateTimeProblem(value) ?? RFC3339_MESSAGE,
      },
    });
}

/** For a time range: this RFC 3339 instant must not be before the sibling `from` property. */
export function NotBefore(from: string, options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'notBefore',
      target: target.constructor,
      propertyName: String(propertyName),
      constraints: [from],
      options,
      validator: {
        validate: (value: unknown, { object }: ValidationArguments) => {
          const start = (object as Record<string, unknown>)[from];
          if (typeof value !== 'string' || typeof start !== 'string') return true;
          const [a, b] = [parseRfc3339(start), parseRfc3339(value)];
          return a === null || b === null || a.getTime() <= b.getTime();
        },
        defaultMessage: () => `must not be before ${from}`,
      },
    });
}
