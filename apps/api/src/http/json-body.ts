import { BadRequestException } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FieldProblem, MAX_NESTING_DEPTH } from '@refundhub/core';

import { tooDeeplyNested } from './json-nesting';
import { validationFailed } from './validation.pipe';

/** Strict: bytes that are not UTF-8 are refused, never replaced with U+FFFD. A leading BOM is dropped. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

function refused(problem: FieldProblem): BadRequestException {
  return new BadRequestException(validationFailed([problem]));
}

/** Where V8 says a JSON text went wrong (a number, never the text itself, which is the sender's). */
function position(error: unknown): string {
  const at = error instanceof SyntaxError ? /at position (\d+)/.exec(error.message) : null;
  return at ? ` (at character ${at[1]})` : '';
}

/**
 * A request body sent as `application/json`, read strictly: UTF-8 only, nested at most
 * {@link MAX_NESTING_DEPTH} levels (checked on the text, before parsing), and valid JSON. Every
 * refusal is a 400 `VALIDATION_FAILED` naming `body` or the top-level field, and never repeats what
 * was sent. An empty body is no body. Keys such as `__proto__` are kept as the sender's own
 * properties (that is what `JSON.parse` makes of them) and refused by the validation pipe.
 */
export function parseJsonBody(bytes: Buffer): unknown {
  if (bytes.length === 0) return undefined;
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    throw refused({ field: 'body', message: 'is not valid UTF-8' });
  }
  const tooDeep = tooDeeplyNested(text, MAX_NESTING_DEPTH);
  if (tooDeep !== null)
    throw refused({ field: tooDeep, message: `is nested more than ${MAX_NESTING_DEPTH} levels deep` });
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw refused({ field: 'body', message: `is not valid JSON${position(error)}` });
  }
}

/**
 * Makes {@link parseJsonBody} the app's one body parser. Bodies of any other type (text/plain and
 * forms, which Fastify and Nest would otherwise read) are answered 415; gateway notifications keep
 * their raw bytes ({@link registerRawBodyParsers}). Call before the app is initialised.
 */
export function registerJsonBodyParser(app: NestFastifyApplication, bodyLimit: number): void {
  app.useBodyParser('application/json', { bodyLimit }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  app.getHttpAdapter().getInstance().removeContentTypeParser('text/plain');
}
