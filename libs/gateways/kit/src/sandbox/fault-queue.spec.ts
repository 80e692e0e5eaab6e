import { FaultQueue } from './fault-queue';

type Op = 'refund' | 'query';
interface Rejection {
  errorCode: string;
  errorMsg: string;
}

describe('FaultQueue', () => {
  let queue: FaultQueue<Op, Rejection>;

  beforeEach(() => {
    queue = new FaultQueue<Op, Rejection>();
  });

  it('has nothing to take by default', () => {
    expect(queue.takeFault('refund')).toBeUndefined();
    expect(queue.takeRejection('refund')).toBeUndefined();
  });

  it('serves a fault once, to any operation by default', () => {
    queue.failNext('5xx');

    expect(queue.takeFault('query')).toEqual({ mode: '5xx', process: false });
    expect(queue.takeFault('query')).toBeUndefined();
  });

  it('serves a fault the given number of times', () => {
    queue.failNext('timeout', { times: 2, process: true });

    expect(queue.takeFault('refund')).toEqual({ mode: 'timeout', process: true });
    expect(queue.takeFault('refund')).toEqual({ mode: 'timeout', process: true });
    expect(queue.takeFault('refund')).toBeUndefined();
  });

  it('serves a fault only to its operation, leaving it for later', () => {
    queue.failNext('malformed', { operation: 'query' });

    expect(queue.takeFault('refund')).toBeUndefined();
    expect(queue.takeFault('query')).toEqual({ mode: 'malformed', process: false });
  });

  it('serves faults in the order they were scheduled', () => {
    queue.failNext('timeout', { operation: 'refund' });
    queue.failNext('5xx');

    expect(queue.takeFault('query')?.mode).toBe('5xx');
    expect(queue.takeFault('refund')?.mode).toBe('timeout');
  });

  it.each(['badsign', 'unsigned', 'other_refund', 'other_amount'] as const)(
    'always processes %s, which alters the real answer',
    (mode) => {
      queue.failNext(mode, { process: false });

      expect(queue.takeFault('refund')).toEqual({ mode, process: true });
    },
  );

  it.each([0, -1, 1.5])('refuses times %p', (times) => {
    expect(() => queue.failNext('5xx', { times })).toThrow('times must be a positive integer');
  });

  it('serves rejections once, by operation', () => {
    queue.rejectNext({ errorCode: 'SYSTEM_BUSY', errorMsg: '系统繁忙' }, 'refund');
    queue.rejectNext({ errorCode: 'ANY', errorMsg: 'any' });

    expect(queue.takeRejection('query')).toEqual({ errorCode: 'ANY', errorMsg: 'any' });
    expect(queue.takeRejection('refund')).toEqual({ errorCode: 'SYSTEM_BUSY', errorMsg: '系统繁忙' });
    expect(queue.takeRejection('refund')).toBeUndefined();
  });

  it('clears everything scheduled', () => {
    queue.failNext('5xx', { times: 3 });
    queue.rejectNext({ errorCode: 'X', errorMsg: 'x' });
    queue.clear();

    expect(queue.takeFault('refund')).toBeUndefined();
    expect(queue.takeRejection('refund')).toBeUndefined();
  });
});
