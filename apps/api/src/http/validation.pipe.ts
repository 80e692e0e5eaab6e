import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import type { FieldProblem } from '@refundhub/core';

/** The 400 body for input that fails validation; REFUND_INVALID from the core uses the same shape. */
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
 * The API's one validation pipe. No implicit conversion: `"100"` is not an amount. Query
 * parameters, which are always strings, convert explicitly in their DTOs.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    // One message per field: "must be a string" is enough, "and at most 64 characters" is noise.
    stopAtFirstError: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new BadRequestException(validationFailed(flattenValidationErrors(errors))),
  });
}
