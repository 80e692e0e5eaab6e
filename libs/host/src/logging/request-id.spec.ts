import { requestIdFor } from './request-id';

describe('requestIdFor', () => {
  let made = 0;
  const ids = { next: () => `new-${++made}` };

  beforeEach(() => {
    made = 0;
  });

  it.each([
    'abc',
    'a1b2-c3d4',
    '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    'x'.repeat(128),
    'Root=1-5.6:7_8',
    'a+b/c==',
  ])('keeps the sane incoming id %s', (incoming) => {
    expect(requestIdFor(incoming, ids)).toBe(incoming);
    expect(made).toBe(0);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['too long', 'x'.repeat(129)],
    ['a newline', 'abc\nlevel=fatal'],
    ['a quote', 'abc"def'],
    ['a space', 'abc def'],
    ['a terminal escape', '\u001b[31mred'],
    ['non-ASCII', 'ид'],
    ['repeated', ['a', 'b']],
  ])('makes a new id for a %s header', (_name, incoming) => {
    expect(requestIdFor(incoming, ids)).toBe('new-1');
  });
});
