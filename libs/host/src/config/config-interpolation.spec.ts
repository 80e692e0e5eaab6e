import { interpolateEnv, interpolateString } from './config-interpolation';

describe(interpolateEnv.name, () => {
  it('replaces ${VAR} in every string value, nested in mappings and lists', () => {
    const sut = interpolateEnv(
      {
        a: { b: '${ONE}', list: ['x-${TWO}-y', 3, true, null] },
        url: 'postgres://u:${PW}@db:5432/r',
      },
      { ONE: '1', TWO: '2', PW: 'pw' },
    );

    expect(sut.problems).toEqual([]);
    expect(sut.value).toEqual({
      a: { b: '1', list: ['x-2-y', 3, true, null] },
      url: 'postgres://u:pw@db:5432/r',
    });
  });

  it('leaves keys alone', () => {
    const sut = interpolateEnv({ '${KEY}': 'v' }, { KEY: 'replaced' });

    expect(sut.value).toEqual({ '${KEY}': 'v' });
  });

  it('reports an unset variable with its path and marks the path as failed', () => {
    const sut = interpolateEnv({ gateways: { list: ['ok', '${MISSING}'] } }, {});

    expect(sut.problems).toEqual([
      { path: ['gateways', 'list', 1], message: 'environment variable MISSING is not set' },
    ]);
    expect([...sut.failedPaths]).toEqual(['gateways.list.1']);
  });

  it('treats an empty variable as set', () => {
    expect(interpolateString('a${EMPTY}b', { EMPTY: '' })).toEqual({ value: 'ab', problems: [] });
  });

  it('turns $${X} into a literal ${X} without reading X', () => {
    expect(interpolateString('$${X} and ${Y}', { Y: 'y' })).toEqual({
      value: '${X} and y',
      problems: [],
    });
  });

  it('reports a malformed or unclosed reference', () => {
    expect(interpolateString('${not valid}', {}).problems).toEqual([
      'invalid environment variable reference: use ${NAME} with letters, digits and _',
    ]);
    expect(interpolateString('abc${OPEN', {}).problems).toEqual(['unclosed "${" (write $${ for a literal "${")']);
  });

  it('never puts a value into a problem', () => {
    const sut = interpolateString('${SET}${UNSET}', { SET: 'S3CR3T' });

    expect(sut.problems).toEqual(['environment variable UNSET is not set']);
  });
});
