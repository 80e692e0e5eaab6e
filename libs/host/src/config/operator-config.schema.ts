import type { RefundDatabaseOptions } from '@refundhub/core';
import { z } from 'zod';

import { gatewaysSchema } from './gateways.schema';
import { boolean, duration, httpUrl, integer } from './schema-primitives';
import { webhookSecrets } from './webhook-secret.schema';

/** Relative to the process's working directory, like every relative path in the file. */
export const DEFAULT_SQLITE_PATH = './data/refundhub.sqlite';

const POSTGRES_URL = /^postgres(ql)?:\/\//;

export type DatabaseConfig = RefundDatabaseOptions;

/**
 * One flat object with cross-checks rather than a discriminated union: a union would
 * answer `url` under sqlite with "unknown key" instead of saying which driver uses it.
 */
export const databaseSchema = z
  .strictObject({
    driver: z.enum(['sqlite', 'postgresql']).default('sqlite'),
    path: z.string().min(1).optional(),
    url: z.string().regex(POSTGRES_URL, { message: 'must be a postgres:// or postgresql:// URL' }).optional(),
    pool: z
      .strictObject({ min: integer(0).optional(), max: integer(1).optional() })
      .refine((pool) => pool.min === undefined || pool.max === undefined || pool.min <= pool.max, {
        message: 'min must not exceed max',
      })
      .optional(),
    /** Several processes may share one SQLite file; these tune how its writers take turns. */
    sqlite: z
      .strictObject({
        synchronous: z.enum(['full', 'normal']).optional(),
        busyTimeout: duration().optional(),
      })
      .optional(),
  })
  .superRefine((db, ctx) => {
    const other = db.driver === 'sqlite' ? 'postgresql' : 'sqlite';
    const onlyFor = (key: 'path' | 'url' | 'pool' | 'sqlite') =>
      ctx.addIssue({ code: 'custom', path: [key], message: `only used with driver ${other}` });
    if (db.driver === 'sqlite') {
      if (db.url !== undefined) onlyFor('url');
      if (db.pool !== undefined) onlyFor('pool');
    } else {
      if (db.url === undefined) {
        ctx.addIssue({ code: 'custom', path: ['url'], message: 'required for driver postgresql' });
      }
      if (db.path !== undefined) onlyFor('path');
      if (db.sqlite !== undefined) onlyFor('sqlite');
    }
  })
  .transform((db): DatabaseConfig => {
    if (db.driver === 'sqlite') {
      return {
        driver: 'sqlite',
        path: db.path ?? DEFAULT_SQLITE_PATH,
        ...(db.sqlite?.synchronous ? { synchronous: db.sqlite.synchronous } : {}),
        ...(db.sqlite?.busyTimeout !== undefined ? { busyTimeoutMs: db.sqlite.busyTimeout } : {}),
      };
    }
    // url is present: the refinement above stops the pipe otherwise.
    return { driver: 'postgresql', url: db.url ?? '', ...(db.pool ? { pool: db.pool } : {}) };
  });

/** `*` or `<gateway>:<merchantId>`; that the merchant exists is checked across the file. */
export const MERCHANT_SCOPE_ENTRY = /^(\*|[a-z]+:.+)$/;

/** The scopes an API key may be given; `operator` lets a person settle a refund (`POST /refunds/:id/resolve`). */
export const API_KEY_SCOPES = ['operator'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export const apiKeySchema = z.strictObject({
  /** Recorded with each refund the key requests (at most 64 characters, like the column). */
  name: z.string().min(1).max(64),
  /** The key itself never sits in the file: a leaked file must not be a leaked key. */
  sha256: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, { message: 'must be the SHA-256 of the key as 64 hex characters' })
    .transform((hex) => hex.toLowerCase()),
  merchants: z
    .array(z.string().regex(MERCHANT_SCOPE_ENTRY, { message: 'must be "*" or "<gateway>:<merchantId>"' }))
    .min(1),
  /** Signs the webhooks of the refunds this key requests, instead of `webhooks.secret`. */
  webhookSecret: webhookSecrets().optional(),
  /** What the key may do beyond its merchants' refunds: `operator` settles refunds by hand. */
  scopes: z.array(z.enum(API_KEY_SCOPES)).default([]),
});

/** Requests allowed per window; over it the API answers 429 with Retry-After. */
export const rateLimitSchema = z.strictObject({
  enabled: boolean().default(true),
  /** Requests one API key may make per window, counted by key, on every route that takes one. */
  perKey: integer(1).default(1200),
  /** Requests one client address may make per window on the routes without a key (notify, health, docs). */
  perAddress: integer(1).default(3000),
  window: duration().default(60_000),
});

export const metricsSchema = z.strictObject({
  /** Serve `/metrics` to anyone (a scraper on a private network); otherwise it takes any valid API key. */
  public: boolean().default(false),
});

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

export const loggingSchema = z.strictObject({
  /** The least severe level written; `debug` shows the gateway modules' wire-level lines. */
  level: z.enum(LOG_LEVELS).default('info'),
  /** `json` (one object a line, for a collector) or `pretty` (for a person at a terminal; the demo's). */
  format: z.enum(['json', 'pretty']).default('json'),
});

export const apiSchema = z.strictObject({
  host: z.string().min(1).default('0.0.0.0'),
  port: integer(0, 65_535).default(3000),
  /** Where the gateways reach this API; notify URLs are `${publicUrl}/notify/<gateway>`. */
  publicUrl: httpUrl().optional(),
  keys: z.array(apiKeySchema).default([]),
  rateLimit: rateLimitSchema.prefault({}),
  metrics: metricsSchema.prefault({}),
});

export const schedulerSchema = z.strictObject({
  /** Run the sync loop inside the API process too; off when apps/scheduler runs it. */
  enabled: boolean().default(true),
  intervalMs: integer(100).default(5000),
  batchSize: integer(1).default(50),
  concurrencyPerGateway: integer(1).default(4),
  /** A REQUESTED refund this old was probably lost between commit and submit. */
  requestedGraceMs: integer(0).default(60_000),
  /** Delays before each next query of a refund (`['1m', '5m', '1h']`); the last repeats. Default: a minute, growing to 6 h. */
  backoff: z.array(duration()).min(1).optional(),
  /** Each delay is spread by up to this fraction either way. */
  jitter: z.number().min(0).max(0.5).default(0.1),
  /** A refund still unfinished this long after it was created is flagged for a person (`sync_exhausted`). */
  exhaustAfter: duration().default(3 * 86_400_000),
});

export const outboxSchema = z.strictObject({
  /** How often every process relays events whose delivery failed or never happened. */
  intervalMs: integer(100).default(1000),
  /** Failures of one listener before its event is set aside (kept in refund_outbox with its error). */
  maxAttempts: integer(1).default(10),
  /** `/health/ready` answers 503 while more events than this wait for delivery. */
  readyBacklog: integer(1).default(1000),
});

export const webhooksSchema = z.strictObject({
  /** Signs the webhooks of refunds whose API key has no `webhookSecret` of its own. */
  secret: webhookSecrets().optional(),
  /** Allow notify URLs on loopback, private, link-local and unique-local addresses (tests, one private network). */
  allowPrivateTargets: boolean().default(false),
  /** How often every process sends the webhooks that are due (retries; new ones go at once). */
  intervalMs: integer(100).default(1000),
});

export const consoleSchema = z.strictObject({
  /** Serve the operations console (static files) under `/console`; it talks to this API with an API key. */
  enabled: boolean().default(false),
});

export const operatorConfigSchema = z.strictObject({
  // prefault, not default: the defaults inside each section must still apply.
  database: databaseSchema.prefault({}),
  api: apiSchema.prefault({}),
  scheduler: schedulerSchema.prefault({}),
  outbox: outboxSchema.prefault({}),
  webhooks: webhooksSchema.prefault({}),
  logging: loggingSchema.prefault({}),
  console: consoleSchema.prefault({}),
  gateways: gatewaysSchema(),
});

/** The configuration after validation, with every default applied. */
export type OperatorConfig = z.output<typeof operatorConfigSchema>;
export type ApiConfig = z.output<typeof apiSchema>;
export type ApiKeyConfig = z.output<typeof apiKeySchema>;
export type SchedulerConfig = z.output<typeof schedulerSchema>;
export type WebhooksConfig = z.output<typeof webhooksSchema>;
export type RateLimitConfig = z.output<typeof rateLimitSchema>;
export type LoggingConfig = z.output<typeof loggingSchema>;
export type ConsoleConfig = z.output<typeof consoleSchema>;
