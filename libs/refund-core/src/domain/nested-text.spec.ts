import { MAX_NESTING_DEPTH, nestedTextProblems } from './nested-text';

const NUL = 'must not contain a NUL character (U+0000)';

describe(nestedTextProblems.name, () => {
  it('names every bad string by its path, in the order of the input', () => {
    const value = { a: 'ok', b: ['x', { c: 'y\u0000' }], d: { e: '\ud800' } };
    expect(nestedTextProblems(value, { field: 'gatewayOptions' })).toEqual([
      { field: 'gatewayOptions.b[1].c', message: NUL },
      { field: 'gatewayOptions.d.e', message: 'must be well-formed Unicode: it contains a lone surrogate' },
    ]);
  });

  it('reports a bad key on the object holding it, and the whole value under its root label', () => {
    expect(nestedTextProblems({ 'k\u0000': 1, ok: { '\udc00': 2 } }, { field: '', rootLabel: 'body' })).toEqual([
      { field: 'body', message: 'has a key with a NUL character (U+0000)' },
      { field: 'ok', message: 'has a key that is not well-formed Unicode (a lone surrogate)' },
    ]);
    expect(nestedTextProblems('a\u0000', { field: 'id' })).toEqual([{ field: 'id', message: NUL }]);
  });

  it("refuses keys its caller names, with the caller's message", () => {
    const keyProblem = (key: string) => (key === 'constructor' ? 'is not a known field' : null);
    expect(nestedTextProblems({ a: [{ constructor: 1 }] }, { field: '', keyProblem })).toEqual([
      { field: 'a[0].constructor', message: 'is not a known field' },
    ]);
  });

  it('stops at the depth allowed, without recursion, however deep the value', () => {
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    const problems = nestedTextProblems({ deep }, { field: '' });
    expect(problems).toEqual([
      {
        field: `deep${'[0]'.repeat(MAX_NESTING_DEPTH - 1)}`,
        message: `is nested more than ${MAX_NESTING_DEPTH} levels deep`,
      },
    ]);
    expect(nestedTextProblems([[1]], { field: 'x', maxDepth: 2 })).toEqual([]);
    expect(nestedTextProblems([[[1]]], { field: 'x', maxDepth: 2 })).toEqual([
      { field: 'x[0][0]', message: 'is nested more than 2 levels deep' },
    ]);
  });

  it('lists at most 50 problems', () => {
    const value = Array.from({ length: 1_000 }, () => '\u0000');
    expect(nestedTextProblems(value, { field: 'list' })).toHaveLength(50);
  });

  it('finds nothing in numbers, booleans, null and well-formed text', () => {
    expect(nestedTextProblems({ n: 1e308, b: true, z: null, s: '退款 😀 \n' }, { field: '' })).toEqual([]);
  });
});
