import {
  ArgumentMetadata,
  BadRequestException,
  Type,
  ValidationError,
  ValidationPipe,
  ValidationPipeOptions,
} from '@nestjs/common';
import type { FieldProblem } from '@refundhub/core';

import { unsafeInputProblems } from './input-safety';

/**
 * The 400 body for input that fails validation. `POST /refunds` answers the core's field problems
 * (money rules, gateway limits) in it too; REFUND_INVALID, the core's own code, has the same shape.
 */
export interface ValidationFailedBody {
  statusCode: 400;
  error: 'Bad Request';
  code: 'VALIDATION_FAILED';
  message: 'Validation failed';
  errors: FieldProblem[];
}

const UNKNOWN_FIELD = 'whitelistValidation';

/** One `{ field, message }` per failed constraint, nested properties as dotted paths (`order.totalAmount`). */
export function flattenValidationErrors(errors: readonly ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([name, message]) => ({
      field,
      message: name === UNKNOWN_FIELD ? 'is not a known field' : message,
    }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

export function validationFailed(errors: FieldProblem[]): ValidationFailedBody {
  return { statusCode: 400, error: 'Bad Request', code: 'VALIDATION_FAILED', message: 'Validation failed', errors };
}

/**
 * The API's validation options. No implicit conversion: `"100"` is not an amount. Query
 * parameters, which are always strings, convert explicitly in their DTOs.
 */
const VALIDATION_OPTIONS: ValidationPipeOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  transform: true,
  transformOptions: { enableImplicitConversion: false },
  // One message per field: "must be a string" is enough, "and at most 64 characters" is noise.
  stopAtFirstError: true,
  validationError: { target: false, value: false },
};

/**
 * class-validator's pipe, after a walk of its own over the whole input ({@link unsafeInputProblems}):
 * that walk is iterative and bounded, and refuses what class-validator would pass (a NUL, a lone
 * surrogate, a key named `constructor`) or could not survive (nesting thousands deep).
 */
class ApiValidationPipe extends ValidationPipe {
  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const problems = unsafeInputProblems(value, metadata);
    if (problems.length) return Promise.reject(new BadRequestException(validationFailed(problems)));
    // A custom decorator's value and an untyped body (POST /refunds checks its own) are passed as they
    // are, which is all class-validator's pass would do with them, at a few promises less per request.
    if (metadata.type === 'custom' || (metadata.type === 'body' && !this.toValidate(metadata))) {
      return Promise.resolve(value);
    }
    return super.transform(value, metadata);
  }
}

/** The API's one validation pipe, installed app-wide. */
export function createValidationPipe(): ValidationPipe {
  return new ApiValidationPipe({
    ...VALIDATION_OPTIONS,
    exceptionFactory: (errors) => new BadRequestException(validationFailed(flattenValidationErrors(errors))),
  });
}

/** A body checked by {@link checkBody}: the DTO, or every problem of its shape. */
export type CheckedBody<T> = { dto: T; problems: [] } | { dto: null; problems: FieldProblem[] };

class ShapeProblems {
  constructor(readonly problems: FieldProblem[]) {}
}

const collectingPipe = new ApiValidationPipe({
  ...VALIDATION_OPTIONS,
  exceptionFactory: (errors) => new ShapeProblems(flattenValidationErrors(errors)),
});

/**
 * The pipe's checks of a body, for a route that has more problems to add before it answers 400
 * (`POST /refunds`): the same DTO, or the same problems, returned instead of thrown. The route
 * takes its body untyped (`@Body() body: unknown`), which the app-wide pipe passes through as is.
 */
export async function checkBody<T>(metatype: Type<T>, body: unknown): Promise<CheckedBody<T>> {
  try {
    return { dto: (await collectingPipe.transform(body, { type: 'body', metatype })) as T, problems: [] };
  } catch (error) {
    if (error instanceof ShapeProblems) return { dto: null, problems: error.problems };
    throw error;
  }
}
