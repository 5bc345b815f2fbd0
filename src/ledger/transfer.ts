/**
 * Facility import and export (CSV, XLSX). One column layout serves both directions, so an export
 * can be edited in a spreadsheet and imported again. An import is all or nothing: every row is
 * checked first and nothing is written while any row is invalid, unless the caller skips them.
 */
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import { stringify as stringifyCsv } from 'csv-stringify/sync';
import type { Db, Tx } from '../db/client.ts';
import type { Deps, RequestContext } from '../deps.ts';
import { AppError, badRequest, conflict, forbidden } from '../errors.ts';
import { newId } from '../ids.ts';
import { type Actor, governs, hasMarketRole } from '../identity/actor.ts';
import { identityStore } from '../identity/store.ts';
import { regionIndex } from '../regions/dataset.ts';
import { parseAcceleratorSpec } from './catalogue.ts';
import { type FacilityInputWithKw, type NormalisedFacility, normaliseFacility } from './rules.ts';
import { dataOf, type FacilityQuery, insertLedgerEntries, listFacilities, registrationChange } from './service.ts';
import { ledgerStore, type RegistrationRow } from './store.ts';
import { FACILITY_KINDS, FACILITY_STATUSES, type FacilityKind, type FacilityStatus, type AcceleratorLine, PRECISIONS } from './types.ts';
import type { FacilityView } from './views.ts';

export type TransferFormat = 'csv' | 'xlsx';
export const MAX_IMPORT_ROWS = 50_000;
export const MAX_EXPORT_ROWS = 200_000;
const WRITE_BATCH = 500;
const MAX_REPORTED_ERRORS = 1000;

type ColumnType = 'text' | 'number' | 'percent';
// key, Chinese name, type, more header aliases, longest text (docs/ledger.md "Import and export" lists them)
type ColumnRow = readonly [key: string, label: string, type: ColumnType, aliases: readonly string[], maxLength?: number];

// prettier-ignore
const COLUMN_ROWS = [
  ['computeId', '算力标识', 'text', ['统一标识', '标识'], 64],
  ['name', '名称', 'text', ['设施名称', '数据中心名称'], 200],
  ['regionCode', '区划代码', 'text', ['行政区划代码', '地区代码', '区域代码'], 6],
  ['address', '地址', 'text', ['详细地址'], 300],
  ['lon', '经度', 'number', ['longitude']],
  ['lat', '纬度', 'number', ['latitude']],
  ['status', '状态', 'text', ['建设状态']],
  ['kind', '类型', 'text', ['设施类型', '算力类型']],
  ['racksDesigned', '设计机架', 'number', ['设计机架数', '规划机架', '规划机架数']],
  ['designedPowerKw', '设计功率', 'number', ['设计IT功率', '设计功率千瓦']],
  ['racksInUse', '在用机架', 'number', ['在用机架数', '已用机架']],
  ['fp64', '双精度算力', 'number', ['双精度']],
  ['fp32', '单精度算力', 'number', ['单精度']],
  ['fp16', '半精度算力', 'number', ['半精度']],
  ['int8', '整型算力', 'number', ['整型', 'int8算力']],
  ['accelerators', '加速卡', 'text', ['加速卡配置', 'ai芯片'], 2000],
  ['storagePb', '存储容量', 'number', ['存储']],
  ['advancedStoragePct', '先进存储占比', 'percent', []],
  ['egressGbps', '出口带宽', 'number', []],
  ['pueDesign', '设计PUE', 'number', []],
  ['pueMeasured', '实测PUE', 'number', ['实际PUE']],
  ['annualKwh', '年耗电量', 'number', ['年用电量']],
  ['greenPowerPct', '绿电占比', 'percent', ['绿色电力占比']],
  ['contactName', '联系人', 'text', [], 100],
  ['contactPhone', '联系电话', 'text', ['电话'], 40],
  ['contactEmail', '联系邮箱', 'text', ['邮箱', '电子邮件'], 200],
  ['owner', '所属单位', 'text', ['运营单位', '业主单位', '所有者'], 200],
  ['rackUtilization', '机架利用率', 'number', ['上架率']],
  ['fp32Equivalent', 'FP32等效算力', 'number', ['等效算力']],
] as const satisfies readonly ColumnRow[];

export type ColumnKey = (typeof COLUMN_ROWS)[number][0];
export interface ColumnSpec {
  key: ColumnKey;
  label: string;
  type: ColumnType;
  aliases: readonly string[];
  maxLength?: number;
}
export const FACILITY_COLUMNS: readonly ColumnSpec[] = COLUMN_ROWS.map(([key, label, type, aliases, maxLength]) => ({ key, label, type, aliases, ...(maxLength ? { maxLength } : {}) }));
/** Written by the export, ignored by the import: the ledger derives them. */
export const DERIVED_COLUMNS: readonly ColumnKey[] = ['rackUtilization', 'fp32Equivalent'];
export const REQUIRED_COLUMNS: readonly ColumnKey[] = ['name', 'regionCode', 'status', 'kind', 'racksInUse'];

const STATUS_ALIASES: Record<string, FacilityStatus> = { 规划: 'planned', 规划中: 'planned', 拟建: 'planned', 在建: 'under_construction', 建设中: 'under_construction', 在用: 'in_operation', 运营: 'in_operation', 运营中: 'in_operation', 已投运: 'in_operation', 停用: 'decommissioned', 退役: 'decommissioned', 已关停: 'decommissioned' };
const KIND_ALIASES: Record<string, FacilityKind> = { 通用: 'general', 通用算力: 'general', 智算: 'intelligent', 智能算力: 'intelligent', 超算: 'supercomputing', 边缘: 'edge', 边缘算力: 'edge' };

// "Racks in use", "racks_in_use", "在用机架（个）" all match: case, spacing, punctuation and a unit in brackets are ignored.
const headerKey = (text: string) => text.normalize('NFKC').toLowerCase().replace(/\([^)]*\)|\[[^\]]*\]/g, '').replace(/[\s_\-·./*:]+/gu, '');
const HEADER_LOOKUP = new Map<string, ColumnKey>(FACILITY_COLUMNS.flatMap((c) => [c.key, c.label, ...c.aliases].map((name) => [headerKey(name), c.key] as const)));

const expectedColumnsHint = () =>
  `Expected a header row with these columns (English key or Chinese name): ${FACILITY_COLUMNS.map((c) => `${c.key} (${c.label})`).join(', ')}. Required: ${REQUIRED_COLUMNS.join(', ')} and racksDesigned or designedPowerKw.`;

// ---------------------------------------------------------------- parsing

export type RawValue = string | number | undefined;
export interface RawRow {
  /** 1-based spreadsheet row; the header is row 1. */
  row: number;
  values: Partial<Record<ColumnKey, RawValue>>;
  /** Non-empty cells right of the last header column (usually an unquoted comma). */
  extraCells?: number;
}
export interface ParsedFile {
  columns: ColumnKey[];
  rows: RawRow[];
}

const tooLarge = (rows: number | string) =>
  new AppError(413, 'IMPORT_TOO_LARGE', `The file has ${rows} rows; an import takes at most ${MAX_IMPORT_ROWS.toLocaleString('en')}. Split it into several files.`);

/** Reads a CSV (UTF-8, with or without BOM) or the first worksheet of an XLSX into raw rows under known columns. */
export async function parseFacilityFile(buffer: Uint8Array, format: TransferFormat): Promise<ParsedFile> {
  if (buffer.length === 0) throw badRequest('IMPORT_EMPTY_FILE', `The file is empty. ${expectedColumnsHint()}`);
  return tableToRows(format === 'csv' ? readCsv(buffer) : await readXlsx(buffer));
}

interface TableRow {
  row: number;
  cells: RawValue[];
}

const isZip = (buffer: Uint8Array) => buffer[0] === 0x50 && buffer[1] === 0x4b && buffer[2] === 0x03 && buffer[3] === 0x04;

/** CSV or XLSX by content: an XLSX is a zip archive. */
export const sniffFormat = (buffer: Uint8Array): TransferFormat => (isZip(buffer) ? 'xlsx' : 'csv');

function readCsv(buffer: Uint8Array): TableRow[] {
  if (isZip(buffer)) throw badRequest('IMPORT_UNREADABLE', 'This file is an XLSX workbook, not CSV: import it as xlsx (format=xlsx, or a .xlsx file name).');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buffer); // drops a BOM
  } catch {
    throw badRequest('IMPORT_NOT_UTF8', 'The CSV is not UTF-8 (Excel\'s plain "CSV" is GBK on Chinese systems): save it as "CSV UTF-8 (逗号分隔)", or import the .xlsx instead.');
  }
  let records: string[][];
  try {
    records = parseCsv(text, { relax_column_count: true, skip_empty_lines: false, bom: true }) as string[][];
  } catch (error) {
    throw badRequest('IMPORT_UNREADABLE', `The CSV cannot be read: ${(error as Error).message}. Fields containing commas, quotes or line breaks must be in double quotes.`);
  }
  // Each record is one spreadsheet row, even when a quoted field spans lines.
  return records.map((cells, index) => ({ row: index + 1, cells }));
}

async function readXlsx(buffer: Uint8Array): Promise<TableRow[]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(buffer as never);
  } catch {
    throw badRequest('IMPORT_UNREADABLE', 'The file is not an XLSX workbook: save it from Excel or WPS as .xlsx (the older .xls is not read), or export CSV UTF-8.');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw badRequest('IMPORT_NO_HEADER', `The workbook has no worksheet. ${expectedColumnsHint()}`);
  if (sheet.actualRowCount > MAX_IMPORT_ROWS + 1) throw tooLarge(sheet.actualRowCount - 1);
  const rows: TableRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const values = Array.isArray(row.values) ? row.values.slice(1) : [];
    rows.push({ row: rowNumber, cells: Array.from(values, cellText) });
  });
  return rows;
}

/** A cell as text or number: rich text, formulas, hyperlinks and dates are reduced to what they show. */
function cellText(value: unknown): RawValue {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number' || typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    const cell = value as { richText?: { text: string }[]; result?: unknown; text?: unknown; error?: string };
    if (cell.richText) return cell.richText.map((part) => part.text).join('');
    if ('result' in cell) return cellText(cell.result);
    if (cell.text !== undefined) return cellText(cell.text);
    if (cell.error) return cell.error;
  }
  return String(value);
}

const isBlank = (value: RawValue) => value === undefined || (typeof value === 'string' && value.trim() === '');

function tableToRows(table: TableRow[]): ParsedFile {
  const header = table.find((r) => r.cells.some((c) => !isBlank(c)));
  if (!header) throw badRequest('IMPORT_NO_HEADER', `The file has no header row. ${expectedColumnsHint()}`);
  const columns: (ColumnKey | null)[] = [];
  const unknown: string[] = [];
  const seen = new Set<ColumnKey>();
  const duplicated: string[] = [];
  for (const cell of header.cells) {
    if (isBlank(cell)) {
      columns.push(null);
      continue;
    }
    const text = String(cell).trim();
    const key = HEADER_LOOKUP.get(headerKey(text));
    if (!key) unknown.push(text);
    else if (seen.has(key)) duplicated.push(text);
    columns.push(key && !seen.has(key) ? key : null);
    if (key) seen.add(key);
  }
  if (unknown.length === 1 && header.cells.length === 1 && /[;\t]/.test(unknown[0])) {
    throw badRequest('IMPORT_UNKNOWN_COLUMNS', `The header ${JSON.stringify(unknown[0])} looks separated by semicolons or tabs: save the file as comma-separated CSV UTF-8. ${expectedColumnsHint()}`);
  }
  if (unknown.length) throw badRequest('IMPORT_UNKNOWN_COLUMNS', `Unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => JSON.stringify(u)).join(', ')} in the header row. ${expectedColumnsHint()}`);
  if (duplicated.length) throw badRequest('IMPORT_DUPLICATE_COLUMNS', `Column${duplicated.length > 1 ? 's' : ''} ${duplicated.map((u) => JSON.stringify(u)).join(', ')} appear${duplicated.length > 1 ? '' : 's'} twice in the header row: keep one of each.`);
  const missing: string[] = REQUIRED_COLUMNS.filter((key) => !seen.has(key));
  if (!seen.has('racksDesigned') && !seen.has('designedPowerKw')) missing.push('racksDesigned (or designedPowerKw)');
  if (missing.length) throw badRequest('IMPORT_MISSING_COLUMNS', `The header row lacks required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}. ${expectedColumnsHint()}`);

  const rows: RawRow[] = [];
  for (const line of table) {
    if (line.row <= header.row || line.cells.every(isBlank)) continue;
    const values: RawRow['values'] = {};
    let extraCells = 0;
    line.cells.forEach((cell, index) => {
      const key = columns[index];
      if (key) values[key] = typeof cell === 'string' ? cell.trim() : cell;
      else if (index >= columns.length && !isBlank(cell)) extraCells++;
    });
    rows.push({ row: line.row, values, ...(extraCells ? { extraCells } : {}) });
  }
  if (rows.length > MAX_IMPORT_ROWS) throw tooLarge(rows.length);
  return { columns: columns.filter((c): c is ColumnKey => c !== null), rows };
}

// ---------------------------------------------------------------- validation

export interface RowError {
  row: number;
  column: string;
  code: string;
  message: string;
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Text to number: empty is absent; anything but plain digits (no thousands separators) is an error. */
export function readNumber(value: RawValue, type: ColumnType = 'number'): { value?: number; error?: string } {
  if (typeof value === 'number') return Number.isFinite(value) ? { value } : { error: 'is not a finite number' };
  if (value === undefined) return {};
  let text = value.normalize('NFKC').trim();
  if (text === '') return {};
  if (type === 'percent') text = text.replace(/\s*%$/, '');
  if (!NUMBER.test(text)) {
    return { error: `${JSON.stringify(value)} is not a number: write plain digits with a dot for decimals and no thousands separators (e.g. 1234.5)${type === 'percent' ? ', as a percentage from 0 to 100' : ''}` };
  }
  return { value: Number(text) };
}

// The export guards text that a spreadsheet would run as a formula with a leading apostrophe; the import takes it off.
const FORMULA_START = /^[=+\-@\t\r]/;
const textOf = (value: RawValue): string | undefined => {
  if (isBlank(value)) return undefined;
  const text = String(value).normalize('NFC').trim();
  return text.startsWith("'") && FORMULA_START.test(text.slice(1)) ? text.slice(1) : text;
};

function readChoice<T extends string>(value: string | undefined, allowed: readonly T[], aliases: Record<string, T>): string {
  if (value === undefined) return '';
  const key = value.toLowerCase().replace(/[\s-]+/g, '_');
  return (allowed as readonly string[]).includes(key) ? key : (aliases[value.replace(/\s+/g, '')] ?? value);
}

/** A facility's path in FacilityInput (a FieldError path of normaliseFacility) → the column that holds it. */
function columnOfPath(path: string): string {
  const [first, second] = path.split('/').filter(Boolean);
  if (first === 'compute' && second) return second;
  if (first === 'contacts') return 'contactName';
  return first ?? '';
}

interface ReadRow {
  input: FacilityInputWithKw;
  computeId?: string;
  owner?: string;
  errors: RowError[];
}

/** One raw row → facility input, with the errors of reading it (numbers, accelerators, contacts, lengths). */
export function readRow(raw: RawRow): ReadRow {
  const errors: RowError[] = [];
  const problem = (column: string, code: string, message: string) => errors.push({ row: raw.row, column, code, message });
  if (raw.extraCells) problem('', 'EXTRA_CELLS', `this row has ${raw.extraCells} more cell${raw.extraCells > 1 ? 's' : ''} than the header: put fields containing commas in double quotes`);
  const text: Partial<Record<ColumnKey, string>> = {};
  const numbers: Partial<Record<ColumnKey, number>> = {};
  for (const column of FACILITY_COLUMNS) {
    const value = raw.values[column.key];
    if (DERIVED_COLUMNS.includes(column.key)) continue;
    if (column.type === 'text') {
      const t = textOf(value);
      if (t !== undefined && column.maxLength && t.length > column.maxLength) problem(column.key, 'TOO_LONG', `keep ${column.key} under ${column.maxLength} characters (it has ${t.length})`);
      else if (t !== undefined) text[column.key] = t;
    } else {
      const { value: n, error } = readNumber(value, column.type);
      if (error) problem(column.key, 'NOT_A_NUMBER', error);
      else if (n !== undefined) numbers[column.key] = n;
    }
  }

  let accelerators: AcceleratorLine[] | undefined;
  if (text.accelerators) {
    try {
      accelerators = parseAcceleratorSpec(text.accelerators).map(({ model, count }) => ({ model, count, vendor: '', domestic: false }));
    } catch (error) {
      problem('accelerators', 'INVALID_ACCELERATORS', (error as Error).message);
    }
  }
  const split = (value: string | undefined) => (value === undefined ? [] : value.split(/[;；]/).map((s) => s.trim()));
  const [names, phones, emails] = [split(text.contactName), split(text.contactPhone), split(text.contactEmail)];
  const contacts = [];
  for (let i = 0; i < Math.max(names.length, phones.length, emails.length); i++) {
    const [name, phone, email] = [names[i] ?? '', phones[i] ?? '', emails[i] ?? ''];
    if (!name && !phone && !email) continue;
    if (!name) problem('contactName', 'CONTACT_NAME_REQUIRED', `give the name of the contact whose phone or e-mail is listed (contact ${i + 1})`);
    else contacts.push({ name, ...(phone ? { phone } : {}), ...(email ? { email } : {}) });
  }
  if (numbers.racksInUse === undefined && !errors.some((e) => e.column === 'racksInUse')) problem('racksInUse', 'RACKS_IN_USE_REQUIRED', 'give racksInUse, the standard racks in use (0 for a facility not yet in operation)');
  if (numbers.racksDesigned !== undefined && numbers.designedPowerKw !== undefined && Math.round(numbers.designedPowerKw / 2.5) !== numbers.racksDesigned) {
    problem('designedPowerKw', 'INCONSISTENT_POWER', `designedPowerKw ${numbers.designedPowerKw} is not racksDesigned ${numbers.racksDesigned} × 2.5 kW: give one of the two, or make them agree`);
  }
  const compute = Object.fromEntries(PRECISIONS.filter((p) => numbers[p] !== undefined).map((p) => [p, numbers[p]]));
  const input: FacilityInputWithKw = {
    name: text.name ?? '',
    regionCode: text.regionCode ?? '',
    ...(text.address !== undefined ? { address: text.address } : {}),
    ...(numbers.lon !== undefined ? { lon: numbers.lon } : {}),
    ...(numbers.lat !== undefined ? { lat: numbers.lat } : {}),
    status: readChoice(text.status, FACILITY_STATUSES, STATUS_ALIASES) as FacilityStatus,
    kind: readChoice(text.kind, FACILITY_KINDS, KIND_ALIASES) as FacilityKind,
    ...(numbers.racksDesigned !== undefined ? { racksDesigned: numbers.racksDesigned } : {}),
    ...(numbers.designedPowerKw !== undefined ? { designedPowerKw: numbers.designedPowerKw } : {}),
    racksInUse: numbers.racksInUse ?? 0,
    compute,
    ...(accelerators ? { accelerators } : {}),
    ...(numbers.storagePb !== undefined ? { storagePb: numbers.storagePb } : {}),
    ...(numbers.advancedStoragePct !== undefined ? { advancedStoragePct: numbers.advancedStoragePct } : {}),
    ...(numbers.egressGbps !== undefined ? { egressGbps: numbers.egressGbps } : {}),
    pueDesign: numbers.pueDesign ?? null,
    pueMeasured: numbers.pueMeasured ?? null,
    ...(numbers.annualKwh !== undefined ? { annualKwh: numbers.annualKwh } : {}),
    ...(numbers.greenPowerPct !== undefined ? { greenPowerPct: numbers.greenPowerPct } : {}),
    contacts,
  };
  return { input, computeId: text.computeId, owner: text.owner, errors };
}

export type ImportTarget = 'ledger' | 'registrations';

export interface ImportContext {
  actor: Actor;
  /** Admins and government users write the approved ledger; a supplier's rows become submitted registrations. */
  target: ImportTarget;
  organizations: { id: string; name: string; kind: string; marketRoles: string[] }[];
  /** Identifiers of the file that are already in the ledger → that facility's name. */
  ledgerComputeIds: Map<string, string>;
  /** `name \u0000 regionCode` of ledger facilities sharing a name with a row of the file. */
  ledgerNames: Set<string>;
}

export interface ValidRow {
  row: number;
  value: NormalisedFacility;
  ownerOrgId: string;
  computeId?: string;
}

const COMPUTE_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
const nameKey = (name: string, regionCode: string) => `${name}\u0000${regionCode}`;

/** Checks every row against the ledger's rules, the file's other rows, the ledger and the importer's rights. */
export function validateRows(rows: readonly RawRow[], context: ImportContext): { valid: ValidRow[]; errors: RowError[]; invalidRows: number } {
  const { actor, target } = context;
  const orgs = new Map<string, ImportContext['organizations'][number]>();
  for (const org of context.organizations) orgs.set(org.id, org).set(org.name, org);
  const firstRowOfId = new Map<string, number>();
  const firstRowOfName = new Map<string, number>();
  const valid: ValidRow[] = [];
  const errors: RowError[] = [];
  let invalidRows = 0;

  for (const raw of rows) {
    const read = readRow(raw);
    const rowErrors = read.errors;
    const problem = (column: string, code: string, message: string) => rowErrors.push({ row: raw.row, column, code, message });
    const { value, errors: fieldErrors } = normaliseFacility(read.input);
    // A cell readRow could not read was left out of the input: its own message says more than the rules' would.
    const unreadable = new Set(rowErrors.map((e) => e.column));
    for (const e of fieldErrors) {
      const column = columnOfPath(e.path);
      if (!unreadable.has(column)) problem(column, e.code ?? 'INVALID', e.message);
    }

    const computeId = read.computeId;
    if (computeId !== undefined) {
      const existing = context.ledgerComputeIds.get(computeId);
      if (existing !== undefined) problem('computeId', 'DUPLICATE_COMPUTE_ID', `duplicate identifier: ${computeId} is already in the ledger (${JSON.stringify(existing)}); leave computeId empty to register a new facility, or remove the row`);
      else if (firstRowOfId.has(computeId)) problem('computeId', 'DUPLICATE_COMPUTE_ID', `duplicate identifier: ${computeId} is also used in row ${firstRowOfId.get(computeId)}`);
      else if (!COMPUTE_ID.test(computeId)) problem('computeId', 'INVALID_COMPUTE_ID', `${JSON.stringify(computeId)} is not an identifier: use letters, digits, dot, dash or colon (e.g. CN-140200-00001), or leave it empty`);
      else if (target === 'registrations') problem('computeId', 'COMPUTE_ID_NOT_ALLOWED', 'a supplier registers new facilities and the identifier is assigned on approval: leave computeId empty');
      if (!firstRowOfId.has(computeId)) firstRowOfId.set(computeId, raw.row);
    }

    const name = read.input.name.trim();
    if (value) {
      const key = nameKey(value.name, value.regionCode);
      if (context.ledgerNames.has(key)) problem('name', 'DUPLICATE_FACILITY', `a facility named ${JSON.stringify(name)} is already in the ledger for region ${value.regionCode}: ${target === 'registrations' ? 'request a change to it instead' : 'remove the row or rename the facility'}`);
      else if (firstRowOfName.has(key)) problem('name', 'DUPLICATE_FACILITY', `the facility ${JSON.stringify(name)} in region ${value.regionCode} is also in row ${firstRowOfName.get(key)}`);
      else firstRowOfName.set(key, raw.row);
      if (target === 'ledger' && !governs(actor, value.regionCode)) {
        const regionName = regionIndex().get(value.regionCode)?.name ?? value.regionCode;
        problem('regionCode', 'OUT_OF_JURISDICTION', `${regionName} (${value.regionCode}) lies outside your jurisdiction (${actor.jurisdictionCode}): a reviewer of that region must import it`);
      }
    }

    let ownerOrgId = actor.orgId;
    if (target === 'registrations') {
      if (read.owner !== undefined && read.owner !== actor.orgName && read.owner !== actor.orgId) {
        problem('owner', 'NOT_OWN_FACILITY', `a supplier imports only its own facilities: leave owner empty or write ${JSON.stringify(actor.orgName)}`);
      }
    } else if (read.owner === undefined) {
      problem('owner', 'OWNER_REQUIRED', 'name the supplier organisation that owns the facility (its name as in GET /api/v1/organizations)');
    } else {
      const org = orgs.get(read.owner);
      if (!org) problem('owner', 'UNKNOWN_OWNER', `no organisation named ${JSON.stringify(read.owner)}: check the spelling against GET /api/v1/organizations, or create the organisation first`);
      else if (org.kind !== 'enterprise' || !org.marketRoles.includes('supplier')) problem('owner', 'OWNER_NOT_SUPPLIER', `${JSON.stringify(org.name)} is not a supplier organisation: facilities belong to an enterprise with the supplier role`);
      else ownerOrgId = org.id;
    }

    if (rowErrors.length === 0 && value) valid.push({ row: raw.row, value, ownerOrgId, ...(computeId !== undefined ? { computeId } : {}) });
    else {
      invalidRows++;
      errors.push(...rowErrors);
    }
  }
  return { valid, errors, invalidRows };
}

/** What the validation needs from the database: organisations, and the file's identifiers and names already in the ledger. */
export async function loadImportContext(db: Db | Tx, actor: Actor, target: ImportTarget, rows: readonly RawRow[]): Promise<ImportContext> {
  const store = ledgerStore(db);
  const computeIds = [...new Set(rows.map((r) => textOf(r.values.computeId)).filter((id): id is string => id !== undefined))];
  const names = [...new Set(rows.map((r) => textOf(r.values.name)).filter((n): n is string => n !== undefined))];
  const ledgerComputeIds = new Map<string, string>();
  const ledgerNames = new Set<string>();
  for (let i = 0; i < computeIds.length; i += 5000) {
    for (const f of await store.findByComputeIds(computeIds.slice(i, i + 5000))) ledgerComputeIds.set(f.computeId, f.name);
  }
  for (let i = 0; i < names.length; i += 5000) {
    for (const f of await store.findByNames(names.slice(i, i + 5000))) ledgerNames.add(nameKey(f.name, f.regionCode));
  }
  const organizations = (await identityStore(db).listOrganizations()).map((o) => ({ id: o.id, name: o.name, kind: o.kind, marketRoles: o.marketRoles as string[] }));
  return { actor, target, organizations, ledgerComputeIds, ledgerNames };
}

// ---------------------------------------------------------------- import

export interface ImportReport {
  format: TransferFormat;
  /** Data rows in the file (blank rows not counted). */
  rows: number;
  valid: number;
  invalid: number;
  /** Facilities entered into the ledger, or registrations submitted (see target). */
  imported: number;
  /** Invalid rows left out because skipInvalid was set. */
  skipped: number;
  dryRun: boolean;
  target: ImportTarget;
  errors: RowError[];
  /** Errors beyond the first 1000, counted but not listed. */
  errorsOmitted: number;
}

export interface ImportOptions {
  skipInvalid?: boolean;
  dryRun?: boolean;
  onProgress?: (done: number, total: number) => void;
}

/** Who may import, and where the rows go. */
export function importTarget(actor: Actor): ImportTarget {
  if (actor.isAdmin || actor.orgKind === 'government') return 'ledger';
  if (hasMarketRole(actor, 'supplier')) return 'registrations';
  throw forbidden('IMPORT_FORBIDDEN', 'Only an administrator, a government reviewer or a supplier imports facilities; a supplier\'s rows become registrations for review.');
}

/**
 * Imports a CSV or XLSX of facilities. Admins and government users write the approved ledger (action
 * 'imported'); a supplier's rows become submitted registrations. With any invalid row and no
 * skipInvalid, throws 422 IMPORT_INVALID carrying the report and writes nothing; a dry run answers
 * the same but never writes.
 */
export async function importFacilities(deps: Deps, actor: Actor, ctx: RequestContext, buffer: Uint8Array, format: TransferFormat, options: ImportOptions = {}): Promise<ImportReport> {
  const { skipInvalid = false, dryRun = false } = options;
  const target = importTarget(actor);
  const parsed = await parseFacilityFile(buffer, format);
  const context = await loadImportContext(deps.db, actor, target, parsed.rows);
  const { valid, errors, invalidRows } = validateRows(parsed.rows, context);
  const report: ImportReport = {
    format,
    rows: parsed.rows.length,
    valid: valid.length,
    invalid: invalidRows,
    imported: 0,
    skipped: skipInvalid ? invalidRows : 0,
    dryRun,
    target,
    errors: errors.slice(0, MAX_REPORTED_ERRORS),
    errorsOmitted: Math.max(0, errors.length - MAX_REPORTED_ERRORS),
  };
  if (invalidRows > 0 && !skipInvalid) {
    throw new AppError(
      422,
      'IMPORT_INVALID',
      `${invalidRows} of ${parsed.rows.length} rows are invalid, so nothing was imported: fix them (see report.errors) or import with skipInvalid=true to take the ${valid.length} valid rows.`,
      { errors: report.errors.slice(0, 100).map((e) => ({ path: `row ${e.row} column ${e.column}`, code: e.code, message: e.message })), extra: { report } },
    );
  }
  if (dryRun || valid.length === 0) return report;

  const now = deps.clock.now();
  const total = valid.length;
  try {
    await deps.db.transaction(async (tx) => {
      const author = { actorId: actor.userId, actorName: actor.displayName, orgId: actor.orgId, requestId: ctx.requestId };
      if (target === 'ledger') {
        // Identifiers the file brings raise their regions' sequences before any batch allocates new ones.
        for (const { computeId } of valid) {
          const match = computeId ? /^CN-(\d{6})-(\d{5})$/.exec(computeId) : null;
          if (match) await ledgerStore(tx).bumpComputeSequence(match[1], Number(match[2]));
        }
      }
      for (let start = 0; start < total; start += WRITE_BATCH) {
        const batch = valid.slice(start, start + WRITE_BATCH);
        if (target === 'ledger') {
          await insertLedgerEntries(tx, batch.map((v) => ({ value: v.value, ownerOrgId: v.ownerOrgId, ...(v.computeId ? { computeId: v.computeId } : {}) })), author, 'imported', now);
        } else {
          await insertSubmittedRegistrations(tx, actor, ctx, batch.map((v) => v.value), now);
        }
        options.onProgress?.(Math.min(start + WRITE_BATCH, total), total);
      }
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('CONCURRENT_IMPORT', 'A facility with one of these identifiers entered the ledger while the file was imported; nothing was written. Run the import again to see which rows clash.');
    throw error;
  }
  report.imported = total;
  return report;
}

function isUniqueViolation(error: unknown): boolean {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (e.code === '23505') return true;
  }
  return false;
}

/** Submitted 'create' registrations of the actor's organisation, with their history, inside the caller's transaction. */
export async function insertSubmittedRegistrations(tx: Db | Tx, actor: Actor, ctx: RequestContext, values: readonly NormalisedFacility[], now: Date): Promise<string[]> {
  const store = ledgerStore(tx);
  const rows: RegistrationRow[] = values.map((value) => ({
    id: newId('reg'),
    type: 'create',
    status: 'submitted',
    facilityId: null,
    orgId: actor.orgId,
    regionCode: value.regionCode,
    provinceCode: value.provinceCode,
    cityCode: value.cityCode,
    data: dataOf(value),
    baseVersion: null,
    reason: null,
    createdBy: actor.userId,
    submittedAt: now,
    decidedBy: null,
    decidedAt: null,
    version: 1,
    createdAt: now,
    updatedAt: now,
  }));
  for (const row of rows) await store.insertRegistration(row);
  await store.appendChanges(rows.map((row) => registrationChange(row, 'submitted', actor, ctx, null, row.data, now)));
  return rows.map((r) => r.id);
}

// ---------------------------------------------------------------- export

/** "512 × H200; 256 × Ascend 910B", which parseAcceleratorSpec reads back. */
export const formatAccelerators = (lines: readonly { model: string; count: number }[]): string => lines.map((l) => `${l.count} × ${l.model}`).join('; ');

const round = (value: number | null, digits: number) => (value === null ? null : Math.round(value * 10 ** digits) / 10 ** digits);

/** One facility as export cells, in FACILITY_COLUMNS order. */
export function exportCells(f: FacilityView): (string | number | null)[] {
  const declared = f.computeDeclared;
  const cells: Record<ColumnKey, string | number | null> = {
    computeId: f.computeId,
    name: f.name,
    regionCode: f.regionCode,
    address: f.address,
    lon: f.lon,
    lat: f.lat,
    status: f.status,
    kind: f.kind,
    racksDesigned: f.racksDesigned,
    designedPowerKw: f.designedPowerKw,
    racksInUse: f.racksInUse,
    fp64: declared.fp64 ?? 0,
    fp32: declared.fp32 ?? 0,
    fp16: declared.fp16 ?? 0,
    int8: declared.int8 ?? 0,
    accelerators: formatAccelerators(f.accelerators),
    storagePb: f.storagePb,
    advancedStoragePct: f.advancedStoragePct,
    egressGbps: f.egressGbps,
    pueDesign: f.pueDesign,
    pueMeasured: f.pueMeasured,
    annualKwh: f.annualKwh,
    greenPowerPct: f.greenPowerPct,
    contactName: f.contacts.map((c) => c.name).join('; '),
    contactPhone: f.contacts.some((c) => c.phone) ? f.contacts.map((c) => c.phone ?? '').join('; ') : '',
    contactEmail: f.contacts.some((c) => c.email) ? f.contacts.map((c) => c.email ?? '').join('; ') : '',
    owner: f.ownerOrgName,
    rackUtilization: round(f.rackUtilization, 4),
    fp32Equivalent: round(f.fp32Equivalent, 3),
  };
  return FACILITY_COLUMNS.map((c) => cells[c.key]);
}

interface Sink {
  add(cells: (string | number | null)[]): void;
  finish(): Promise<Buffer>;
}

function csvSink(): Sink {
  // The BOM makes Excel read the file as UTF-8, so Chinese names show.
  const chunks: string[] = ['\uFEFF', stringifyCsv([FACILITY_COLUMNS.map((c) => c.key)])];
  let pending: (string | number | null)[][] = [];
  const flush = () => {
    if (pending.length) chunks.push(stringifyCsv(pending.map((r) => r.map((c) => (c === null ? '' : typeof c === 'string' && FORMULA_START.test(c) ? `'${c}` : c)))));
    pending = [];
  };
  return {
    add(cells) {
      pending.push(cells);
      if (pending.length >= 1000) flush();
    },
    async finish() {
      flush();
      return Buffer.from(chunks.join(''), 'utf8');
    },
  };
}

function xlsxSink(): Sink {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet('facilities', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = FACILITY_COLUMNS.map((c) => ({ key: c.key, width: c.key === 'name' || c.key === 'address' || c.key === 'accelerators' ? 32 : Math.max(12, c.key.length + 2) }));
  const header = sheet.addRow(FACILITY_COLUMNS.map((c) => c.key));
  header.font = { bold: true };
  header.commit();
  return {
    add(cells) {
      sheet.addRow(cells).commit();
    },
    async finish() {
      sheet.commit();
      await workbook.commit();
      await done;
      return Buffer.concat(chunks);
    },
  };
}

/** The facilities the list shows for these filters, as a file. At most MAX_EXPORT_ROWS rows. */
export async function exportFacilities(deps: Deps, query: FacilityQuery, format: TransferFormat): Promise<Buffer> {
  const sink = format === 'csv' ? csvSink() : xlsxSink();
  const filters: FacilityQuery = { region: query.region, status: query.status, kind: query.kind, q: query.q, owner: query.owner, sort: query.sort };
  let cursor: string | undefined;
  let written = 0;
  do {
    const page = await listFacilities(deps, { ...filters, limit: WRITE_BATCH, ...(cursor ? { cursor } : {}) });
    if (written === 0 && page.total > MAX_EXPORT_ROWS) {
      throw badRequest('EXPORT_TOO_LARGE', `These filters match ${page.total.toLocaleString('en')} facilities; an export takes at most ${MAX_EXPORT_ROWS.toLocaleString('en')}. Narrow it, e.g. by region or status.`);
    }
    for (const item of page.items) sink.add(exportCells(item));
    written += page.items.length;
    cursor = page.nextCursor ?? undefined;
  } while (cursor && written < MAX_EXPORT_ROWS);
  return sink.finish();
}

export const EXPORT_CONTENT_TYPES: Record<TransferFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** facilities-YYYYMMDD.csv, dated in UTC like every time in the API. */
export const exportFileName = (format: TransferFormat, now: Date) => `facilities-${now.toISOString().slice(0, 10).replaceAll('-', '')}.${format}`;
