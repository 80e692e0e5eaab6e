import { Clock } from '../domain/clock';

/** A clock that only moves when told to. */
export class FakeClock extends Clock {
  constructor(private current: Date = new Date('2026-01-05T04:00:00.000Z')) {
    super();
  }

  now(): Date {
    return new Date(this.current.getTime());
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
