import { applyDecorators } from '@nestjs/common';
import {
  IsDefined,
  IsOptional,
  IsString,
  Matches,
  registerDecorator,
  ValidationArguments,
  ValidationOptions,
} from 'class-validator';

import { RFC3339_MESSAGE, parseRfc3339, rfc3339Problem } from './rfc3339';

/** Largest amount we accept, in fen (10 billion yuan): far above any order, far below 2^53. */
export const MAX_FEN = 1_000_000_000_000;

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
        validate: (value: unknown) =>
          typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_FEN,
        defaultMessage: ({ value }: ValidationArguments) => {
          if (value === undefined || value === null) return 'is required';
          if (typeof value === 'string') return 'must be a JSON number of fen, not a string';
          if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be an integer number of fen';
          if (!Number.isInteger(value)) return 'must be an integer number of fen (1 yuan = 100), not a fraction';
          if (value < 1) return 'must be at least 1 fen';
          return `must be at most ${MAX_FEN} fen`;
        },
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
      options: { message: `must be at most ${max} characters`, ...options },
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || [...value].length <= max,
      },
    });
}

/** Required, non-blank string of at most `max` characters. */
export function RequiredText(max: number): PropertyDecorator {
  return applyDecorators(
    IsDefined({ message: 'is required' }),
    IsString({ message: 'must be a string' }),
    Matches(/\S/, { message: 'must not be blank' }),
    MaxCodePoints(max),
  );
}

/** Optional (absent or null) string; when given, non-blank and at most `max` characters. */
export function OptionalText(max: number): PropertyDecorator {
  return applyDecorators(
    IsOptional(),
    IsString({ message: 'must be a string' }),
    Matches(/\S/, { message: 'must not be blank (leave it out or send null)' }),
    MaxCodePoints(max),
  );
}

function isFen(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}

function isPresentText(value: unknown): boolean {
  return typeof value === 'string' && value.trim() !== '';
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
        validate: (value: unknown, { object }: ValidationArguments) => {
          const total = (object as { order?: { totalAmount?: unknown } }).order?.totalAmount;
          return !isFen(value) || !isFen(total) || value <= total;
        },
        defaultMessage: ({ object }: ValidationArguments) =>
          `must not exceed order.totalAmount (${String((object as { order?: { totalAmount?: unknown } }).order?.totalAmount)})`,
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
        validate: (value: unknown) => {
          if (value === null || typeof value !== 'object') return true; // reported by IsObject
          const order = value as { merchantOrderNo?: unknown; gatewayOrderNo?: unknown };
          return isPresentText(order.merchantOrderNo) || isPresentText(order.gatewayOrderNo);
        },
        defaultMessage: () => 'needs merchantOrderNo or gatewayOrderNo',
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
        validate: (value: unknown) => typeof value === 'string' && rfc3339Problem(value) === null,
        defaultMessage: ({ value }: ValidationArguments) =>
          (typeof value === 'string' ? rfc3339Problem(value) : null) ?? RFC3339_MESSAGE,
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
