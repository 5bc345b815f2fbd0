import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { AppError } from '../errors.ts';
import { actorForUser } from '../identity/actor-loader.ts';
import { exportFacilities, type ImportReport, importFacilities, type TransferFormat } from '../ledger/transfer.ts';
import { withDeps } from './context.ts';
import { progressBar } from './progress.ts';

interface ImportFlags {
  skipInvalid?: boolean;
  dryRun?: boolean;
  as: string;
}

interface ExportFlags {
  format?: string;
  region?: string;
  status?: string;
  kind?: string;
  q?: string;
  owner?: string;
  sort?: string;
  out?: string;
}

function formatOfFile(file: string): TransferFormat | null {
  const extension = path.extname(file).toLowerCase();
  return extension === '.csv' ? 'csv' : extension === '.xlsx' ? 'xlsx' : null;
}

/** The report as people read it: a summary line, then `row 12, racksInUse: …` per problem. */
export function formatReport(file: string, report: ImportReport): string {
  const what = report.target === 'ledger' ? 'entered into the ledger' : 'submitted as registrations for review';
  const lines = [`${path.basename(file)}: ${report.rows} rows, ${report.valid} valid, ${report.invalid} invalid.`];
  if (report.dryRun) lines.push(`Dry run: nothing written; ${report.invalid > 0 && report.skipped === 0 ? 'the import would be refused' : `${report.valid} facilities would be ${what}`}.`);
  else if (report.invalid > 0 && report.skipped === 0) lines.push('Nothing imported: fix the rows below, or pass --skip-invalid to import the valid rows.');
  else lines.push(`${report.imported} facilities ${what}${report.skipped ? `; ${report.skipped} invalid rows skipped` : ''}.`);
  for (const e of report.errors) lines.push(`row ${e.row}, ${e.column || '(row)'}: ${e.message}`);
  if (report.errorsOmitted) lines.push(`… and ${report.errorsOmitted} more errors.`);
  return lines.join('\n');
}

async function runImport(kind: string, file: string, flags: ImportFlags) {
  if (kind !== 'facilities') throw new Error(`Cannot import ${JSON.stringify(kind)}: only "facilities" can be imported.`);
  const format = formatOfFile(file);
  if (!format) throw new Error(`Cannot tell the format of ${file}: name it .csv (UTF-8) or .xlsx.`);
  const buffer = await readFile(file);
  await withDeps(async (deps) => {
    const bar = progressBar(flags.dryRun ? 'Checking' : 'Importing');
    let report: ImportReport;
    try {
      const actor = await actorForUser(deps, flags.as);
      report = await importFacilities(deps, actor, { requestId: `cli-${randomUUID()}` }, buffer, format, {
        skipInvalid: !!flags.skipInvalid,
        dryRun: !!flags.dryRun,
        onProgress: (done, total) => bar.update(done, total),
      });
    } catch (error) {
      bar.stop();
      if (error instanceof AppError && error.code === 'IMPORT_INVALID' && error.extra?.report) {
        console.log(formatReport(file, error.extra.report as ImportReport));
      } else if (error instanceof AppError) {
        console.error(error.message);
      } else {
        throw error;
      }
      process.exitCode = 2;
      return;
    }
    bar.stop();
    console.log(formatReport(file, report));
    if (report.invalid > 0) process.exitCode = 2;
  });
}

async function runExport(kind: string, flags: ExportFlags) {
  if (kind !== 'facilities') throw new Error(`Cannot export ${JSON.stringify(kind)}: only "facilities" can be exported.`);
  const given = flags.format?.toLowerCase();
  if (given !== undefined && given !== 'csv' && given !== 'xlsx') throw new Error(`--format must be csv or xlsx (got ${JSON.stringify(flags.format)}).`);
  const format: TransferFormat = (given as TransferFormat | undefined) ?? (flags.out ? formatOfFile(flags.out) : null) ?? 'csv';
  if (format === 'xlsx' && !flags.out) throw new Error('An XLSX export is binary: give --out FILE.xlsx (CSV can go to standard output).');
  await withDeps(async (deps) => {
    try {
      const file = await exportFacilities(deps, { region: flags.region, status: flags.status, kind: flags.kind, q: flags.q, owner: flags.owner, sort: flags.sort }, format);
      if (flags.out) {
        await writeFile(flags.out, file);
        console.error(`Wrote ${flags.out} (${file.length.toLocaleString('en')} bytes).`);
      } else {
        // A reader that stops early (`| head`) is not an error.
        process.stdout.on('error', (error: NodeJS.ErrnoException) => {
          if (error.code !== 'EPIPE') throw error;
        });
        process.stdout.write(file);
      }
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      console.error(error.message);
      process.exitCode = 2;
    }
  });
}

export function registerTransfer(program: Command) {
  program
    .command('import')
    .description('import records from a file')
    .argument('<kind>', 'what to import: facilities')
    .argument('<file>', 'a .csv (UTF-8) or .xlsx file, columns as in docs/ledger.md')
    .option('--skip-invalid', 'import the valid rows and list the invalid ones (default: import nothing when a row is invalid)')
    .option('--dry-run', 'check and report without writing')
    .option('--as <username>', 'act as this user: an admin or government user writes the ledger, a supplier submits registrations', 'admin')
    .action((kind: string, file: string, flags: ImportFlags) => runImport(kind, file, flags));

  program
    .command('export')
    .description('export records to a file')
    .argument('<kind>', 'what to export: facilities')
    .option('--format <format>', 'csv or xlsx (default: from --out, else csv)')
    .option('--region <code>', 'GB/T 2260 code: the region and everything beneath it')
    .option('--status <list>', 'comma-separated statuses, e.g. in_operation,under_construction')
    .option('--kind <list>', 'comma-separated kinds, e.g. intelligent,supercomputing')
    .option('--q <text>', 'text in the name, identifier or address')
    .option('--owner <orgId>', 'owner organisation id')
    .option('--sort <key>', 'computeId | name | racksDesigned | rackUtilization | fp32Equivalent | updatedAt, prefix - for descending')
    .option('--out <file>', 'write to this file (default: standard output, CSV only)')
    .action((kind: string, flags: ExportFlags) => runExport(kind, flags));
}
