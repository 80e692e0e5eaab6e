import { crashPoint } from './crash-point';

describe(crashPoint.name, () => {
  const env = { ...process.env };
  let kill: jest.SpyInstance;

  beforeEach(() => {
    kill = jest.spyOn(process, 'kill').mockImplementation(() => true);
  });

  afterEach(() => {
    kill.mockRestore();
    process.env = { ...env };
  });

  it('kills the process at the named point under NODE_ENV=test', () => {
    process.env['NODE_ENV'] = 'test';
    process.env['REFUNDHUB_CRASH_AT'] = 'after-gateway-answer';
    crashPoint('after-requested-commit');
    expect(kill).not.toHaveBeenCalled();
    crashPoint('after-gateway-answer');
    expect(kill).toHaveBeenCalledWith(process.pid, 'SIGKILL');
  });

  it('never does anything outside tests, whatever the environment says', () => {
    process.env['NODE_ENV'] = 'production';
    process.env['REFUNDHUB_CRASH_AT'] = 'after-gateway-answer';
    crashPoint('after-gateway-answer');
    expect(kill).not.toHaveBeenCalled();
  });
});
