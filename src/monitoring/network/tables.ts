import { doublePrecision, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The latency matrix (网络监测): one row per measured pair of nodes, a node being a facility (its id)
 * or a city PoP (its 6-digit GB/T 2260 code). A row is directional as measured (the source probed
 * the target); readers treat a pair as symmetric and take the newer direction. Pairs without a row
 * are estimated from geography when read (src/network-model.ts), never stored.
 * The demo stores city × city and facility → own city rows only (docs/monitoring.md).
 */
export const networkLatency = pgTable(
  'network_latency',
  {
    source: text('source').notNull(),
    target: text('target').notNull(),
    /** 'facility' | 'city' */
    sourceKind: text('source_kind').notNull(),
    /** 'facility' | 'city' */
    targetKind: text('target_kind').notNull(),
    /** Round-trip time in milliseconds: the median of the recent samples (docs/methods/latency.md). */
    rttMs: doublePrecision('rtt_ms').notNull(),
    /** Samples behind rttMs. */
    samples: integer('samples').notNull(),
    /** 'probe' (agents, remote_write) | 'demo' (generated from geography) */
    origin: text('origin').notNull(),
    /** Time of the newest sample behind rttMs. */
    measuredAt: timestamp('measured_at', { withTimezone: true }).notNull(),
  },
  // No other index: readers load the whole matrix (kept in memory), the fold upserts by the key.
  (t) => [primaryKey({ columns: [t.source, t.target] })],
);
