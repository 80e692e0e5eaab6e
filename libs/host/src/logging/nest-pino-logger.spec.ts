import pino from 'pino';

import { NestPinoLogger } from './nest-pino-logger';

describe('NestPinoLogger', () => {
  const logged = (level: pino.LevelWithSilent, use: (logger: NestPinoLogger) => void) => {
    const lines: string[] = [];
    const root = pino({ level, base: undefined, timestamp: false }, { write: (line: string) => lines.push(line) });
    use(new NestPinoLogger(root));
    return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  };

  it("maps Nest's levels to pino's: verbose is trace, debug is debug, log is info", () => {
    const entries = logged('trace', (logger) => {
      logger.verbose('v', 'Ctx');
      logger.debug('d', 'Ctx');
      logger.log('l', 'Ctx');
      logger.warn('w', 'Ctx');
      logger.error('e', 'Ctx');
      logger.fatal('f', 'Ctx');
    });

    expect(entries).toEqual([
      { level: 10, context: 'Ctx', msg: 'v' },
      { level: 20, context: 'Ctx', msg: 'd' },
      { level: 30, context: 'Ctx', msg: 'l' },
      { level: 40, context: 'Ctx', msg: 'w' },
      { level: 50, context: 'Ctx', msg: 'e' },
      { level: 60, context: 'Ctx', msg: 'f' },
    ]);
  });

  it('leaves out what is below the configured level', () => {
    const entries = logged('info', (logger) => {
      logger.verbose('v', 'Ctx');
      logger.debug('d', 'Ctx');
      logger.log('l', 'Ctx');
    });

    expect(entries.map((entry) => entry.msg)).toEqual(['l']);
  });

  it("keeps the frames an error line passes (core's, Nest's exception handler's) as its stack", () => {
    const frames = '    at RefundLedger.reserve (/app/refund-ledger.ts:10:5)\n    at run (/app/x.ts:1:1)';
    const entries = logged('info', (logger) => {
      logger.error('POST /refunds failed', frames, 'Ctx');
      logger.error('no context', frames);
    });

    expect(entries).toEqual([
      { level: 50, context: 'Ctx', stack: frames, msg: 'POST /refunds failed' },
      { level: 50, stack: frames, msg: 'no context' },
    ]);
  });

  it('logs an object as fields and an error with its message', () => {
    const entries = logged('info', (logger) => {
      logger.log({ round: 3 }, 'Ctx');
      logger.warn(new Error('boom'), 'Ctx');
    });

    expect(entries[0]).toEqual({ level: 30, round: 3, context: 'Ctx' });
    expect(entries[1]).toMatchObject({ level: 40, context: 'Ctx', msg: 'boom', err: { message: 'boom' } });
  });
});
