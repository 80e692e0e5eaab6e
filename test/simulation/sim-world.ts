import type { AnyRefundEvent, RefundStatus } from '@refundhub/core';
import { FakeClock } from '@refundhub/core/testing';

import { type TestDatabase, type TestDialect, createTestDatabase } from '../support/databases';

import type { MeanwhileWork } from './call-out';
import { SimBaofooGateway } from './sim-baofoo-gateway';
import { SimChaoyingGateway } from './sim-chaoying-gateway';
import type { SimGatewayId, SimulatedGateway } from './sim-gateway';
import { SimLeshuaGateway } from './sim-leshua-gateway';
import { SimUmfGateway } from './sim-umf-gateway';
import { type ProviderOverride, type SimSystem, startSimSystem } from './sim-system';

/** The paid orders every simulation starts with (fen). */
export const SIM_ORDERS = [
  { thirdOrderId: 'T0', totalAmount: 1_000 },
  { thirdOrderId: 'T1', totalAmount: 800 },
] as const;

/**
 * The refund numbers a simulation may request, each with fixed parameters, so that a step naming a
 * slot twice is an identical retry. Their amounts add up to more than the orders, so some requests
 * must be refused for lack of balance.
 */
export const SIM_SLOTS = [
  { refundNo: 'R0', order: 0, amount: 400 },
  { refundNo: 'R1', order: 0, amount: 300 },
  { refundNo: 'R2', order: 0, amount: 500 },
  { refundNo: 'R3', order: 1, amount: 800 },
  { refundNo: 'R4', order: 1, amount: 100 },
] as const;

/** The simulated gateway of a run, holding the paid orders, on the run's clock. */
function createSimGateway(id: SimGatewayId, now: () => Date): SimulatedGateway {
  switch (id) {
    case 'leshua':
      return new SimLeshuaGateway(SIM_ORDERS);
    case 'chaoying':
      return new SimChaoyingGateway(SIM_ORDERS, now);
    case 'baofoo':
      return new SimBaofooGateway(SIM_ORDERS, now);
    case 'umf':
      return new SimUmfGateway(SIM_ORDERS, now);
  }
}

/**
 * Everything a simulation run owns: the database (a SQLite file, or a PostgreSQL database), the clock, the simulated gateway, what the
 * listeners heard (all of which survive a crash) and the current incarnation of the system (which
 * does not).
 */
export class SimWorld {
  readonly clock = new FakeClock();
  readonly gateway: SimulatedGateway;
  readonly heard = new Map<string, AnyRefundEvent>();
  readonly trace: string[] = [];
  /** Final statuses already observed, by refund id: they must never change. */
  readonly finals = new Map<string, RefundStatus>();
  steps = 0;
  /** Crashes that caught a request's submission in flight. */
  crashesDuringCall = 0;
  /** Crashes that caught a sync round's query or resubmission in flight. */
  crashesDuringSync = 0;
  /** Calls answered after other work ran while they were out, by that work. */
  readonly callsOut: Record<MeanwhileWork, number> = { notify: 0, sync: 0, retry: 0, relay: 0 };
  private current: SimSystem | null = null;

  private constructor(
    private readonly database: TestDatabase,
    private readonly overrides: readonly ProviderOverride[],
    gateway: SimGatewayId,
  ) {
    this.gateway = createSimGateway(gateway, () => this.clock.now());
  }

  static async create({
    overrides = [],
    dialect = 'sqlite',
    gateway = 'leshua',
  }: {
    overrides?: readonly ProviderOverride[];
    dialect?: TestDialect;
    gateway?: SimGatewayId;
  } = {}): Promise<SimWorld> {
    const database = await createTestDatabase(dialect);
    const world = new SimWorld(database, overrides, gateway);
    try {
      world.current = await world.start();
    } catch (error) {
      // No world is returned, so no one will dispose of its database.
      await database.drop();
      throw error;
    }
    return world;
  }

  get system(): SimSystem {
    if (!this.current) throw new Error('The simulated system is between two incarnations');
    return this.current;
  }

  /**
   * Drops every in-memory object and starts again on the same database. `whileDown` runs once the old
   * incarnation is closed and before the new one starts: what the old one still had in flight ends
   * there, against a closed database (its connection pool is destroyed, so it cannot write).
   */
  async crash(whileDown?: () => Promise<void>): Promise<void> {
    await this.system.close();
    this.current = null;
    await whileDown?.();
    this.current = await this.start();
  }

  /**
   * The clock moves on. Real time passing ends every call still in flight first (a call's deadline is
   * shorter than any lease): the work a request handed to the background (a queued refund's submission)
   * finishes before a lease it holds can run out under it.
   */
  async passTime(ms: number): Promise<void> {
    await this.system.refunds.settled();
    this.clock.advance(ms);
  }

  async dispose(): Promise<void> {
    try {
      await this.current?.close();
      this.current = null;
    } finally {
      await this.database.drop();
    }
  }

  private start(): Promise<SimSystem> {
    return startSimSystem({
      database: this.database.options,
      clock: this.clock,
      gateway: this.gateway,
      heard: this.heard,
      overrides: this.overrides,
    });
  }
}
