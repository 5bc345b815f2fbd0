import type { Database } from '../db/client.ts';

/**
 * A fingerprint of every table in the public schema: row count and an order-independent checksum
 * of the rows' text. Equal fingerprints before and after a request mean the request wrote nothing.
 * Cheap on test-sized databases (a scan per table); meant for tests, not for production data.
 */
export type Fingerprint = Map<string, string>;

export async function fingerprintStatement(database: Database): Promise<string> {
  const tables = await database.query<{ name: string }>(
    `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition order by c.relname`,
  );
  const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
  return tables
    .map((t) => `select '${t.name.replaceAll("'", "''")}' as name, count(*)::text || ':' || coalesce(sum(hashtextextended(x::text, 0)), 0)::text as digest from ${quote(t.name)} x`)
    .join('\nunion all\n');
}

export async function fingerprint(database: Database, statement: string): Promise<Fingerprint> {
  const rows = await database.query<{ name: string; digest: string }>(statement);
  return new Map(rows.map((r) => [r.name, String(r.digest)]));
}

/** Tables whose fingerprints differ, leaving out the ones a rule allows to change. */
export function changedTables(before: Fingerprint, after: Fingerprint, ignore: readonly string[] = []): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((name) => !ignore.includes(name) && before.get(name) !== after.get(name)).sort();
}

/**
 * The next transaction id to be assigned. Any committed or rolled-back write takes one, so while it
 * stands still nothing was written and the (costlier) fingerprint need not be taken again.
 */
export async function nextTransactionId(database: Database): Promise<string> {
  const [row] = await database.query<{ xmax: string }>('select pg_snapshot_xmax(pg_current_snapshot())::text as xmax');
  return row.xmax;
}
