import { BadRequestException } from '@nestjs/common';

import { parseJsonBody } from './json-body';
import { tooDeeplyNested } from './json-nesting';

function problemsOf(bytes: Buffer | string): unknown {
  try {
    parseJsonBody(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes, 'utf8'));
  } catch (error) {
    if (error instanceof BadRequestException) return (error.getResponse() as { errors: unknown }).errors;
    throw error;
  }
  return null;
}

describe(tooDeeplyNested.name, () => {
  const arrays = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

  it('counts objects and arrays, the outermost as 1', () => {
    expect(tooDeeplyNested(arrays(3), 3)).toBeNull();
    expect(tooDeeplyNested(arrays(4), 3)).toBe('body');
    expect(tooDeeplyNested('{"a":{"b":{}}}', 3)).toBeNull();
    expect(tooDeeplyNested('{"a":{"b":{"c":[]}}}', 3)).toBe('a');
  });

  it('names the top-level key the deep value is in, after other keys and string values', () => {
    expect(tooDeeplyNested(`{"x":"[[[[","y":{"z":1},"gatewayOptions":{"a":${arrays(10)}}}`, 4)).toBe('gatewayOptions');
    expect(tooDeeplyNested(`{"say \\"hi\\"":${arrays(5)}}`, 4)).toBe('say "hi"');
  });

  it('ignores brackets in strings, escaped quotes included', () => {
    expect(tooDeeplyNested('{"a":"\\"[[[[[[[[{{{{{"}', 2)).toBeNull();
  });

  it('names the body when the key is not a plain name', () => {
    expect(tooDeeplyNested(`{"${'k'.repeat(65)}":${arrays(5)}}`, 4)).toBe('body');
    expect(tooDeeplyNested(`{"a\\u0000":${arrays(5)}}`, 4)).toBe('body');
    expect(tooDeeplyNested(`[{"a":${arrays(5)}}]`, 4)).toBe('body');
  });

  it('reads a megabyte of brackets in a moment', () => {
    const started = process.hrtime.bigint();
    expect(tooDeeplyNested('['.repeat(1024 * 1024), 32)).toBe('body');
    expect(tooDeeplyNested(`"${'x'.repeat(1024 * 1024)}"`, 32)).toBeNull();
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(500);
  });
});

describe(parseJsonBody.name, () => {
  it('parses JSON, drops a BOM, and reads an empty body as none', () => {
    expect(parseJsonBody(Buffer.from('\ufeff{"a":[1,"退款"]}', 'utf8'))).toEqual({ a: [1, '退款'] });
    expect(parseJsonBody(Buffer.alloc(0))).toBeUndefined();
  });

  it('keeps __proto__ as an own key for the validation pipe to refuse, never as a prototype', () => {
    const body = parseJsonBody(Buffer.from('{"__proto__":{"polluted":true}}')) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses bytes that are not UTF-8 instead of replacing them', () => {
    expect(problemsOf(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]))).toEqual([
      { field: 'body', message: 'is not valid UTF-8' },
    ]);
  });

  it('refuses nesting past 32 levels before parsing', () => {
    expect(problemsOf(`{"order":${'['.repeat(40)}${']'.repeat(40)}}`)).toEqual([
      { field: 'order', message: 'is nested more than 32 levels deep' },
    ]);
  });

  it('refuses text that is not JSON without repeating it', () => {
    const problems = problemsOf('{"reason": <script>alert(1)</script>}') as Array<{ message: string }>;
    expect(problems).toEqual([{ field: 'body', message: expect.stringMatching(/^is not valid JSON/) }]);
    expect(JSON.stringify(problems)).not.toContain('script');
  });
});
