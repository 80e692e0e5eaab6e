import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import type { ErrorBody } from '../refund-error.filter';
import { API_ERRORS, ApiErrorName, DocumentedError } from './error-catalogue';

/** An OpenAPI media type object of error bodies. */
export interface ErrorMediaType {
  schema: { $ref: string } | { oneOf: { $ref: string }[] };
  examples: Record<string, { summary: string; value: ErrorBody }>;
}

/** The JSON content of one status's errors: their schema (one of several when they differ), each body an example. */
export function errorMediaType(names: readonly ApiErrorName[]): ErrorMediaType {
  const errors = names.map((name): [ApiErrorName, DocumentedError] => [name, API_ERRORS[name]]);
  const refs = [...new Set(errors.map(([, documented]) => documented.schema))].map((schema) => ({
    $ref: getSchemaPath(schema),
  }));
  return {
    schema: refs.length === 1 ? refs[0] : { oneOf: refs },
    examples: Object.fromEntries(
      errors.map(([name, documented]) => [name, { summary: documented.summary, value: documented.example }]),
    ),
  };
}

/** The schema classes of the named errors, for `ApiExtraModels`. */
export function errorSchemas(names: readonly ApiErrorName[]): DocumentedError['schema'][] {
  return [...new Set(names.map((name): DocumentedError['schema'] => API_ERRORS[name].schema))];
}

/**
 * Documents the errors a route answers, named from {@link API_ERRORS}: one response per status, with
 * every named body as an example.
 */
export function ApiErrors(...names: ApiErrorName[]): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, ApiErrorName[]>();
  for (const name of names) {
    const { status } = API_ERRORS[name];
    byStatus.set(status, [...(byStatus.get(status) ?? []), name]);
  }
  return applyDecorators(
    ApiExtraModels(...errorSchemas(names)),
    ...[...byStatus].map(([status, named]) =>
      ApiResponse({
        status,
        description: named.map((name) => API_ERRORS[name].summary).join('; '),
        content: { 'application/json': errorMediaType(named) },
      }),
    ),
  );
}
