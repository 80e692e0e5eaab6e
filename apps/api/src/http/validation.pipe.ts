import {
  ArgumentMetadata,
  BadRequestException,
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
