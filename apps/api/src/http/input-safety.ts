import type { ArgumentMetadata } from '@nestjs/common';
import { FieldProblem, nestedTextProblems } from '@refundhub/core';

/**
 * Names that every plain object answers to through its prototype (`constructor`, `toString`,
 * `__proto__`, ...). class-validator's whitelist looks field names up in a plain object, so these
 * pass as known fields of every DTO and were dropped in silence; further in, they are a
 * prototype-pollution gadget. They are refused like any unknown field, at every level.
 */
const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));

const UNKNOWN_FIELD = 'is not a known field';

function prototypeKeyProblem(key: string): string | null {
  return PROTOTYPE_KEYS.has(key) ? UNKNOWN_FIELD : null;
}

/** What to call the whole of each part of a request in a field problem. */
const ROOT_LABELS: Partial<Record<ArgumentMetadata['type'], string>> = {
  body: 'body',
  query: 'query',
  param: 'path',
};

/**
 * Problems that make a body, query or path parameter unsafe to hand to the DTO checks or to the
 * database, whatever the route: text that cannot be stored as sent (a NUL, a lone surrogate), keys
 * named after `Object.prototype`'s members, nesting deeper than the API allows. Field paths are
 * those of the DTO checks (`order.merchantOrderNo`, `gatewayOptions.items[1]`, `id`, `createdFrom`).
 * Raw bodies (a Buffer, for gateway notifications) are the gateway module's to read.
 */
export function unsafeInputProblems(value: unknown, metadata: ArgumentMetadata): FieldProblem[] {
  const rootLabel = ROOT_LABELS[metadata.type];
  if (rootLabel === undefined || Buffer.isBuffer(value)) return [];
  return nestedTextProblems(value, { field: metadata.data ?? '', rootLabel, keyProblem: prototypeKeyProblem });
}
