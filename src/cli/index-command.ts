import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { stringify } from 'csv-stringify/sync';
import { computeIndex, type IndexLevel } from '../analytics/index-service.ts';
import { DIMENSIONS, INDICATOR_IDS } from '../analytics/index-method.ts';
import { roundForDisplay } from '../analytics/index.ts';
import { AppError } from '../errors.ts';
import { withDeps } from './context.ts';

export const INDEX_FORMATS = ['table', 'json', 'csv'] as const;
export type IndexFormat = (typeof INDEX_FORMATS)[number];

interface IndexFlags {
  level: string;
  weights?: string;
  year?: string;
  format: string;
}

type IndexResult = Awaited<ReturnType<typeof computeIndex>>;

/** Terminal columns of a string: CJK and full-width characters take two. */
function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(char) ? 2 : 1;
  return width;
}

const padEnd = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - displayWidth(text)));
const padStart = (text: string, width: number) => ' '.repeat(Math.max(0, width - displayWidth(text))) + text;

/** The ranked index as people read it (table), as the API returns it (json) or for spreadsheets (csv, raw values). */
export function formatIndex(result: IndexResult, format: IndexFormat): string {
  if (format === 'json') return `${JSON.stringify(result, null, 2)}\n`;
  if (format === 'csv') {
    const header = ['rank', 'code', 'name', 'score', ...DIMENSIONS, ...INDICATOR_IDS];
    const rows = result.regions.map((region) => [
      region.rank,
      region.code,
      region.name,
      region.score,
      ...DIMENSIONS.map((dimension) => region.dimensions[dimension].score),
      ...INDICATOR_IDS.map((id) => region.dimensions[id.split('.')[0] as (typeof DIMENSIONS)[number]].indicators[id].value ?? ''),
    ]);
    return stringify([header, ...rows]);
  }
  const header = ['rank', 'code', 'name', 'score', ...DIMENSIONS];
  const rows = result.regions.map((region) => [
    String(region.rank),
    region.code,
    region.name,
    roundForDisplay(region.score).toFixed(2),
    ...DIMENSIONS.map((dimension) => roundForDisplay(region.dimensions[dimension].score).toFixed(2)),
  ]);
  const widths = header.map((title, column) => Math.max(displayWidth(title), ...rows.map((row) => displayWidth(row[column]))));
  const line = (cells: string[]) => cells.map((cell, column) => (column === 2 ? padEnd(cell, widths[column]) : padStart(cell, widths[column]))).join('  ');
  const weights = DIMENSIONS.map((dimension) => `${dimension} ${roundForDisplay(result.weights.dimensions[dimension], 4)}`).join(', ');
  return [
    `Comprehensive computing power index (综合算力指数), ${result.level} level${result.year === null ? '' : `, year ${result.year}`}; method ${result.method} v${result.version}`,
    `Weights: ${weights}`,
    '',
    line(header),
    ...rows.map(line),
    '',
  ].join('\n');
}

async function runIndex(flags: IndexFlags) {
  const level = flags.level as IndexLevel;
  if (level !== 'province' && level !== 'city') throw new Error(`--level must be province or city (got ${JSON.stringify(flags.level)}).`);
  const format = flags.format as IndexFormat;
  if (!INDEX_FORMATS.includes(format)) throw new Error(`--format must be one of ${INDEX_FORMATS.join(', ')} (got ${JSON.stringify(flags.format)}).`);
  let year: number | undefined;
  if (flags.year !== undefined) {
    if (!/^\d{4}$/.test(flags.year)) throw new Error(`--year must be a four-digit year such as 2025 (got ${JSON.stringify(flags.year)}).`);
    year = Number(flags.year);
  }
  const weights = flags.weights === undefined ? undefined : await readFile(flags.weights, 'utf8');
  await withDeps(async (deps) => {
    try {
      process.stdout.write(formatIndex(await computeIndex(deps, { level, weights, year }), format));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      console.error(error.message);
      process.exitCode = 2;
    }
  });
}

export function registerIndex(program: Command) {
  program
    .command('index')
    .description('print the comprehensive computing power index (综合算力指数), method in docs/methods/index.md')
    .option('--level <level>', 'province or city', 'province')
    .option('--weights <file>', 'weights as JSON ({"compute":0.4,"environment.pue":0.5}) or id:weight pairs; ids not given keep their default')
    .option('--year <yyyy>', 'only facilities entered in the ledger by the end of that year (with their current figures)')
    .option('--format <format>', 'table, json or csv', 'table')
    .action((flags: IndexFlags) => runIndex(flags));
}
