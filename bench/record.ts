import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import pg from 'pg';

const FILE = new URL('../docs/benchmarks.md', import.meta.url);

/** Replaces (or appends) the section between `<!-- bench:NAME -->` markers in docs/benchmarks.md. */
export function recordBenchmark(name: string, markdown: string): void {
  // Exploratory runs (profiling, trying a change) leave docs/benchmarks.md alone.
  if (process.env.BENCH_NO_RECORD) return;
  const start = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const block = `${start}\n${markdown.trim()}\n${end}`;
  let text = existsSync(FILE) ? readFileSync(FILE, 'utf8') : '# Benchmarks\n\nFigures measured on the project machine (2 cores, 24 GiB). Each script prints its figures beside its reference and rewrites its section here.\n';
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  text = from >= 0 && to > from ? text.slice(0, from) + block + text.slice(to + end.length) : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(FILE, text);
}

export const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

export function machine(): string {
  return `Node ${process.version}, ${process.platform}/${process.arch}`;
}

/** A new, empty PostgreSQL database beside BASE_URL's for one benchmark run; `drop()` removes it. */
export async function freshPostgresDatabase(baseUrl: string, name: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
