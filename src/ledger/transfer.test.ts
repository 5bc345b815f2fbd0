import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../identity/actor.ts';
import { AppError } from '../errors.ts';
import { parseAcceleratorSpec } from './catalogue.ts';
import { exportCells, FACILITY_COLUMNS, formatAccelerators, type ImportContext, parseFacilityFile, readNumber, validateRows } from './transfer.ts';
import type { FacilityView } from './views.ts';

const csv = (text: string, bom = false) => Buffer.concat([bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(text, 'utf8')]);

const admin: Actor = {
  userId: 'usr_admin',
  username: 'admin',
  displayName: 'Administrator',
  isAdmin: true,
  orgId: 'org_platform',
  orgName: 'Suanli platform',
  orgKind: 'platform',
  marketRoles: [],
  jurisdictionCode: null,
  tokenId: 'tok',
  tokenKind: 'session',
};

const context = (overrides: Partial<ImportContext> = {}): ImportContext => ({
  actor: admin,
  target: 'ledger',
  organizations: [
    { id: 'org_dt', name: '大同云数科技', kind: 'enterprise', marketRoles: ['supplier'] },
    { id: 'org_buyer', name: '某需求方', kind: 'enterprise', marketRoles: ['demander'] },
  ],
  ledgerComputeIds: new Map(),
  ledgerNames: new Set(),
  ...overrides,
});

const HEADER = 'name,regionCode,status,kind,racksDesigned,racksInUse,owner';

async function rowsOf(text: string) {
  return (await parseFacilityFile(csv(text), 'csv')).rows;
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

describe('parseFacilityFile (CSV)', () => {
  it('reads UTF-8 with a BOM, quoted fields and Chinese header aliases', async () => {
    const text = '名称,区划代码,状态,类型,设计机架,在用机架,地址,加速卡\r\n"大同智算中心, 一期",140213,在用,智算,2000,1800,"山西省大同市""云谷""",512 × H200; 256 × Ascend 910B\r\n';
    const parsed = await parseFacilityFile(csv(text, true), 'csv');
    expect(parsed.columns).toEqual(['name', 'regionCode', 'status', 'kind', 'racksDesigned', 'racksInUse', 'address', 'accelerators']);
    expect(parsed.rows).toHaveLength(1);
    expect(parsed.rows[0].row).toBe(2);
    expect(parsed.rows[0].values).toMatchObject({ name: '大同智算中心, 一期', regionCode: '140213', address: '山西省大同市"云谷"', status: '在用' });
  });

  it('matches headers ignoring case, spacing and units in brackets', async () => {
    const parsed = await parseFacilityFile(csv('Name,Region Code,STATUS,kind,racks_designed,在用机架（个）,设计PUE\nA,140213,planned,edge,10,0,1.3\n'), 'csv');
    expect(parsed.columns).toEqual(['name', 'regionCode', 'status', 'kind', 'racksDesigned', 'racksInUse', 'pueDesign']);
  });

  it('numbers rows as a spreadsheet does: blank rows count but are not data, a quoted line break stays in one row', async () => {
    const rows = await rowsOf(`${HEADER}\nA,140213,planned,edge,10,0,x\n\n"B\nline two",140213,planned,edge,10,0,x\nC,140213,planned,edge,10,0,x\n`);
    expect(rows.map((r) => r.row)).toEqual([2, 4, 5]);
    expect(rows[1].values.name).toBe('B\nline two');
  });

  it('rejects a file without the required columns, listing what it expects', async () => {
    const error = await failure(parseFacilityFile(csv('name,regionCode,status\nA,140213,planned\n'), 'csv'));
    expect(error.status).toBe(400);
    expect(error.code).toBe('IMPORT_MISSING_COLUMNS');
    expect(error.message).toContain('kind');
    expect(error.message).toContain('racksDesigned (or designedPowerKw)');
    expect(error.message).toContain('Expected a header row');
  });

  it('rejects unknown and duplicated columns, and an empty file', async () => {
    expect((await failure(parseFacilityFile(csv(`${HEADER},备注\n`), 'csv'))).code).toBe('IMPORT_UNKNOWN_COLUMNS');
    expect((await failure(parseFacilityFile(csv(`${HEADER},名称\n`), 'csv'))).code).toBe('IMPORT_DUPLICATE_COLUMNS');
    expect((await failure(parseFacilityFile(csv(''), 'csv'))).code).toBe('IMPORT_EMPTY_FILE');
    expect((await failure(parseFacilityFile(csv('\n\n'), 'csv'))).code).toBe('IMPORT_NO_HEADER');
    const semicolons = await failure(parseFacilityFile(csv('name;regionCode;status\n'), 'csv'));
    expect(semicolons.message).toContain('semicolons');
  });

  it('rejects a CSV that is not UTF-8, and an XLSX sent as CSV', async () => {
    const gbk = Buffer.from([0xc3, 0xfb, 0xb3, 0xc6, 0x0a]); // 名称 in GBK
    expect((await failure(parseFacilityFile(gbk, 'csv'))).code).toBe('IMPORT_NOT_UTF8');
    expect((await failure(parseFacilityFile(Buffer.from('PK\u0003\u0004rest'), 'csv'))).message).toContain('XLSX');
  });

  it('refuses more than 50,000 rows with 413 IMPORT_TOO_LARGE', async () => {
    const body = `${HEADER}\n${'A,140213,planned,edge,10,0,x\n'.repeat(50_001)}`;
    const error = await failure(parseFacilityFile(csv(body), 'csv'));
    expect(error.status).toBe(413);
    expect(error.code).toBe('IMPORT_TOO_LARGE');
  });
});

describe('parseFacilityFile (XLSX)', () => {
  it('reads the first worksheet of a workbook built in memory, with numbers, rich text and formulas', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('设施');
    workbook.addWorksheet('ignored').addRow(['nothing']);
    sheet.addRow(['名称', '区划代码', '状态', '类型', '设计机架', '在用机架', '设计PUE', '联系人', '联系电话']);
    sheet.addRow(['大同智算中心', 140213, 'in_operation', 'intelligent', 2000, { formula: 'E2-200', result: 1800 }, 1.25, '王工', 13800138000]);
    sheet.addRow([]);
    sheet.addRow([{ richText: [{ text: '苏州' }, { text: '边缘节点' }] }, '320505', 'planned', 'edge', 40, 0, null, null, null]);
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
    const parsed = await parseFacilityFile(buffer, 'xlsx');
    expect(parsed.rows.map((r) => r.row)).toEqual([2, 4]);
    expect(parsed.rows[0].values).toMatchObject({ name: '大同智算中心', regionCode: 140213, racksInUse: 1800, pueDesign: 1.25, contactPhone: 13800138000 });
    expect(parsed.rows[1].values.name).toBe('苏州边缘节点');
    const { valid, errors } = validateRows(parsed.rows.map((r) => ({ ...r, values: { ...r.values, owner: '大同云数科技' } })), context());
    expect(errors).toEqual([]);
    expect(valid[0].value).toMatchObject({ regionCode: '140213', racksInUse: 1800, contacts: [{ name: '王工', phone: '13800138000' }] });
  });

  it('says so when the bytes are not a workbook', async () => {
    expect((await failure(parseFacilityFile(Buffer.from('name,regionCode\n'), 'xlsx'))).code).toBe('IMPORT_UNREADABLE');
  });
});

describe('formula guard', () => {
  it('takes off the apostrophe the CSV export puts before text a spreadsheet would run as a formula', async () => {
    const rows = await rowsOf(`${HEADER},address\n'=HYPERLINK(1),140213,planned,edge,10,0,x,'+86 街道\n`);
    const { valid } = validateRows(rows.map((r) => ({ ...r, values: { ...r.values, owner: '大同云数科技' } })), context());
    expect(valid[0].value).toMatchObject({ name: '=HYPERLINK(1)', address: '+86 街道' });
  });
});

describe('readNumber', () => {
  it('treats empty as absent and refuses thousands separators and words', () => {
    expect(readNumber('')).toEqual({});
    expect(readNumber(undefined)).toEqual({});
    expect(readNumber(' 1234.5 ')).toEqual({ value: 1234.5 });
    expect(readNumber('１２３')).toEqual({ value: 123 });
    expect(readNumber(7)).toEqual({ value: 7 });
    expect(readNumber('45%', 'percent')).toEqual({ value: 45 });
    expect(readNumber('1,234').error).toContain('"1,234" is not a number');
    expect(readNumber('about 5').error).toBeDefined();
    expect(readNumber('45%').error).toBeDefined();
  });
});

describe('validateRows', () => {
  it('reports each problem with its row and column, and keeps the valid rows', async () => {
    const rows = await rowsOf(
      [
        `${HEADER},pueDesign,storagePb,accelerators`,
        'Good,140213,in_operation,intelligent,100,80,大同云数科技,1.2,5,8 × H200',
        'Over,140213,in_operation,general,100,120,大同云数科技,,,',
        'Nowhere,999999,planned,general,10,0,大同云数科技,0.9,"1,234",',
        'Cards,140213,planned,general,10,0,大同云数科技,,,8 × Unobtainium',
      ].join('\n'),
    );
    const { valid, errors, invalidRows } = validateRows(rows, context());
    expect(valid.map((v) => v.row)).toEqual([2]);
    expect(valid[0]).toMatchObject({ ownerOrgId: 'org_dt', value: { compute: { fp16: 8 * 989 } } });
    expect(invalidRows).toBe(3);
    const pairs = errors.map((e) => [e.row, e.column, e.code]);
    expect(pairs).toContainEqual([3, 'racksInUse', 'RACKS_IN_USE_EXCEED_DESIGNED']);
    expect(pairs).toContainEqual([4, 'regionCode', 'UNKNOWN_REGION']);
    expect(pairs).toContainEqual([4, 'pueDesign', 'PUE_BELOW_ONE']);
    expect(pairs).toContainEqual([4, 'storagePb', 'NOT_A_NUMBER']);
    expect(pairs).toContainEqual([5, 'accelerators', 'UNKNOWN_ACCELERATOR']);
    expect(errors.find((e) => e.code === 'NOT_A_NUMBER')?.message).toContain('"1,234"');
  });

  it('accepts Chinese status and kind words and designed power in kW', async () => {
    const rows = await rowsOf('名称,区划代码,状态,类型,设计功率,在用机架,所属单位\n甲,140213,在建,超算,250,0,大同云数科技\n');
    const { valid, errors } = validateRows(rows, context());
    expect(errors).toEqual([]);
    expect(valid[0].value).toMatchObject({ status: 'under_construction', kind: 'supercomputing', racksDesigned: 100 });
  });

  it('finds duplicates within the file and against the ledger', async () => {
    const rows = await rowsOf(
      [`computeId,${HEADER}`, 'CN-140213-00001,A,140213,planned,edge,10,0,大同云数科技', 'CN-140213-00001,B,140213,planned,edge,10,0,大同云数科技', 'CN-140213-00002,A,140213,planned,edge,10,0,大同云数科技', ',Old,140213,planned,edge,10,0,大同云数科技', 'CN-140213-00009,C,140213,planned,edge,10,0,大同云数科技'].join('\n'),
    );
    const { errors, valid } = validateRows(rows, context({ ledgerComputeIds: new Map([['CN-140213-00009', '旧设施']]), ledgerNames: new Set(['Old\u0000140213']) }));
    expect(valid.map((v) => [v.row, v.computeId])).toEqual([[2, 'CN-140213-00001']]);
    expect(errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [3, 'computeId', 'DUPLICATE_COMPUTE_ID'],
      [4, 'name', 'DUPLICATE_FACILITY'],
      [5, 'name', 'DUPLICATE_FACILITY'],
      [6, 'computeId', 'DUPLICATE_COMPUTE_ID'],
    ]);
    expect(errors[0].message).toContain('row 2');
    expect(errors[3].message).toContain('duplicate identifier');
  });

  it('checks the owner for admins and the jurisdiction for government users', async () => {
    const rows = await rowsOf([HEADER, 'A,140213,planned,edge,10,0,', 'B,140213,planned,edge,10,0,无此公司', 'C,140213,planned,edge,10,0,某需求方', 'D,320505,planned,edge,10,0,大同云数科技'].join('\n'));
    expect(validateRows(rows, context()).errors.map((e) => e.code)).toEqual(['OWNER_REQUIRED', 'UNKNOWN_OWNER', 'OWNER_NOT_SUPPLIER']);
    const shanxi: Actor = { ...admin, isAdmin: false, orgKind: 'government', jurisdictionCode: '140000' };
    const result = validateRows(rows, context({ actor: shanxi }));
    expect(result.errors).toContainEqual(expect.objectContaining({ row: 5, column: 'regionCode', code: 'OUT_OF_JURISDICTION' }));
  });

  it("lets a supplier import only its own organisation's new facilities", async () => {
    const supplier: Actor = { ...admin, isAdmin: false, orgId: 'org_dt', orgName: '大同云数科技', orgKind: 'enterprise', marketRoles: ['supplier'] };
    const rows = await rowsOf([`computeId,${HEADER}`, ',A,140213,planned,edge,10,0,', ',B,140213,planned,edge,10,0,大同云数科技', ',C,140213,planned,edge,10,0,别家公司', 'CN-140213-00100,D,140213,planned,edge,10,0,'].join('\n'));
    const { valid, errors } = validateRows(rows, context({ actor: supplier, target: 'registrations' }));
    expect(valid.map((v) => [v.row, v.ownerOrgId])).toEqual([
      [2, 'org_dt'],
      [3, 'org_dt'],
    ]);
    expect(errors.map((e) => [e.row, e.code])).toEqual([
      [4, 'NOT_OWN_FACILITY'],
      [5, 'COMPUTE_ID_NOT_ALLOWED'],
    ]);
  });

  it('flags cells beyond the header and contacts without a name', async () => {
    const rows = await rowsOf(`${HEADER},contactPhone\nA,140213,planned,edge,10,0,大同云数科技,138,extra\n`);
    expect(validateRows(rows, context()).errors.map((e) => e.code)).toEqual(['EXTRA_CELLS', 'CONTACT_NAME_REQUIRED']);
  });
});

describe('export cells', () => {
  it('writes accelerators back in the form the import reads, and declared compute rather than totals', () => {
    const lines = [
      { model: 'H200', vendor: 'NVIDIA', count: 512, domestic: false },
      { model: 'Ascend 910B', vendor: 'Huawei', count: 256, domestic: true },
    ];
    expect(formatAccelerators(lines)).toBe('512 × H200; 256 × Ascend 910B');
    expect(parseAcceleratorSpec(formatAccelerators(lines))).toEqual([
      { model: 'H200', count: 512 },
      { model: 'Ascend 910B', count: 256 },
    ]);
    const view = {
      computeId: 'CN-140213-00001',
      name: 'A',
      regionCode: '140213',
      address: '',
      lon: 113.3,
      lat: 40.1,
      status: 'in_operation',
      kind: 'intelligent',
      racksDesigned: 100,
      designedPowerKw: 250,
      racksInUse: 50,
      rackUtilization: 0.5,
      compute: { fp64: 1, fp32: 2, fp16: 3, int8: 4 },
      computeDeclared: { fp64: 1, fp32: 0, fp16: 0, int8: 0 },
      fp32Equivalent: 2,
      accelerators: lines,
      contacts: [{ name: '王工', phone: '0352' }, { name: '李工' }],
      ownerOrgName: '大同云数科技',
    } as unknown as FacilityView;
    const cells = Object.fromEntries(FACILITY_COLUMNS.map((c, i) => [c.key, exportCells(view)[i]]));
    expect(cells).toMatchObject({ fp64: 1, fp32: 0, accelerators: '512 × H200; 256 × Ascend 910B', contactName: '王工; 李工', contactPhone: '0352; ', contactEmail: '', owner: '大同云数科技', rackUtilization: 0.5 });
  });
});
