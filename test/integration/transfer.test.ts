import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, databaseKind, type TestPlatform } from '../harness.ts';

const PASSWORD = 'Transfer-Test-9x';
const ROOT_PASSWORD = 'Transfer-Root-7x';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const HEADER = 'computeId,name,regionCode,address,status,kind,racksDesigned,racksInUse,accelerators,pueDesign,greenPowerPct,contactName,contactPhone,owner';

const csvBody = (...lines: string[]) => Buffer.from(`\uFEFF${[HEADER, ...lines].join('\r\n')}\r\n`, 'utf8');

describe(`facility import and export (${databaseKind})`, () => {
  let t: TestPlatform;
  const tokens: Record<string, string> = {};

  const importFile = (token: string, body: Buffer, query = '', contentType = 'text/csv; charset=utf-8') =>
    t.inject('POST', `/api/v1/facilities/import${query}`, { token, payload: body, headers: { 'content-type': contentType } });
  const count = async (query = '') => (await t.inject('GET', `/api/v1/facilities?limit=1${query}`, { token: tokens.admin })).json().total as number;

  beforeAll(async () => {
    t = await createTestPlatform({ env: { SUANLI_ADMIN_PASSWORD: ROOT_PASSWORD } });
    tokens.admin = await t.login('admin', ROOT_PASSWORD);
    const orgs: Record<string, string> = {};
    for (const [key, body] of [
      ['supplier', { name: '大同云数科技', kind: 'enterprise', marketRoles: ['supplier'] }],
      ['buyer', { name: '某需求方', kind: 'enterprise', marketRoles: ['demander'] }],
      ['shanxi', { name: '山西省数据局', kind: 'government', jurisdictionCode: '140000' }],
    ] as const) {
      const response = await t.inject('POST', '/api/v1/organizations', { token: tokens.admin, body });
      expect(response.statusCode, response.body).toBe(201);
      orgs[key] = response.json().id;
    }
    for (const [username, org] of [
      ['supplier-a', 'supplier'],
      ['buyer', 'buyer'],
      ['gov-sx', 'shanxi'],
    ] as const) {
      const response = await t.inject('POST', '/api/v1/users', { token: tokens.admin, body: { username, password: PASSWORD, orgId: orgs[org] } });
      expect(response.statusCode, response.body).toBe(201);
      tokens[username] = await t.login(username, PASSWORD);
    }
  });
  afterAll(async () => t?.close());

  it('imports a valid CSV as admin: the facilities appear in the list with identifiers and an "imported" history', async () => {
    const response = await importFile(
      tokens.admin,
      csvBody(
        ',大同智算中心一期,140213,"山西省大同市, 云谷",in_operation,intelligent,2000,1800,512 × H200; 256 × Ascend 910B,1.2,45,王工,0352-0000000,大同云数科技',
        'CN-140213-00042,大同边缘节点,140213,,planned,edge,40,0,,,,,,大同云数科技',
        ',太原超算分中心,140100,,under_construction,supercomputing,600,0,,1.3,,,,大同云数科技',
      ),
    );
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ format: 'csv', rows: 3, valid: 3, invalid: 0, imported: 3, skipped: 0, dryRun: false, target: 'ledger', errors: [] });

    const list = (await t.inject('GET', '/api/v1/facilities?region=140000&sort=name', { token: tokens.admin })).json();
    expect(list.total).toBe(3);
    const byName = Object.fromEntries(list.items.map((f: { name: string }) => [f.name, f]));
    expect(byName['大同边缘节点'].computeId).toBe('CN-140213-00042');
    expect(byName['大同智算中心一期'].computeId).toMatch(/^CN-140213-\d{5}$/);
    expect(byName['大同智算中心一期'].computeId).not.toBe('CN-140213-00042');
    expect(byName['大同智算中心一期']).toMatchObject({ address: '山西省大同市, 云谷', ownerOrgName: '大同云数科技', racksInUse: 1800, contacts: [{ name: '王工', phone: '0352-0000000' }] });
    expect(byName['大同智算中心一期'].accelerators.map((a: { model: string; count: number }) => `${a.count} ${a.model}`)).toEqual(['512 H200', '256 Ascend 910B']);
    const history = (await t.inject('GET', `/api/v1/facilities/${byName['太原超算分中心'].id}/history`, { token: tokens.admin })).json();
    expect(history.items.map((h: { action: string }) => h.action)).toEqual(['imported']);
  });

  const badFile = () =>
    csvBody(
      ',阳泉数据中心,140300,,in_operation,general,100,80,,1.3,,,,大同云数科技',
      ',超额机架,140300,,in_operation,general,100,120,,,,,,大同云数科技',
      ',无此地区,999999,,planned,general,10,0,,,,,,大同云数科技',
      ',低PUE,140300,,planned,general,10,0,,0.9,,,,大同云数科技',
    );

  it('refuses a file with invalid rows with 422 and the row-by-row report, writing nothing', async () => {
    const before = await count();
    const response = await importFile(tokens.admin, badFile());
    expect(response.statusCode, response.body).toBe(422);
    expect(response.headers['content-type']).toContain('application/problem+json');
    const problem = response.json();
    expect(problem.code).toBe('IMPORT_INVALID');
    expect(problem.report).toMatchObject({ rows: 4, valid: 1, invalid: 3, imported: 0, skipped: 0 });
    expect(problem.report.errors.map((e: { row: number; column: string; code: string }) => [e.row, e.column, e.code])).toEqual([
      [3, 'racksInUse', 'RACKS_IN_USE_EXCEED_DESIGNED'],
      [4, 'regionCode', 'UNKNOWN_REGION'],
      [5, 'pueDesign', 'PUE_BELOW_ONE'],
    ]);
    expect(await count()).toBe(before);
  });

  it('imports only the valid rows with skipInvalid=true and lists the others', async () => {
    const before = await count();
    const response = await importFile(tokens.admin, badFile(), '?skipInvalid=true');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ rows: 4, valid: 1, invalid: 3, imported: 1, skipped: 3 });
    expect(response.json().errors).toHaveLength(3);
    expect(await count()).toBe(before + 1);
    expect(await count('&q=阳泉数据中心')).toBe(1);
  });

  it("turns a supplier's import into submitted registrations of its own organisation", async () => {
    const before = await count();
    const response = await importFile(tokens['supplier-a'], csvBody(',大同新建智算中心,140213,,planned,intelligent,500,0,64 × H20,,,,,', ',大同新建二期,140213,,planned,intelligent,500,0,,,,,,大同云数科技'));
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ target: 'registrations', imported: 2 });
    expect(await count()).toBe(before);
    const registrations = (await t.inject('GET', '/api/v1/registrations?status=submitted', { token: tokens['supplier-a'] })).json();
    expect(registrations.items.map((r: { data: { name: string } }) => r.data.name).sort()).toEqual(['大同新建二期', '大同新建智算中心']);
    expect(registrations.items[0]).toMatchObject({ type: 'create', status: 'submitted', orgName: '大同云数科技' });
    // The reviewer of the region sees them, and approving one enters it into the ledger.
    const forReviewer = (await t.inject('GET', '/api/v1/registrations?status=submitted', { token: tokens['gov-sx'] })).json();
    expect(forReviewer.total).toBe(2);
    const approved = await t.inject('POST', `/api/v1/registrations/${forReviewer.items[0].id}/approve`, { token: tokens['gov-sx'] });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(await count()).toBe(before + 1);

    const foreign = await importFile(tokens['supplier-a'], csvBody(',别人的设施,140213,,planned,general,10,0,,,,,,某需求方'));
    expect(foreign.statusCode).toBe(422);
    expect(foreign.json().report.errors[0]).toMatchObject({ row: 2, column: 'owner', code: 'NOT_OWN_FACILITY' });
  });

  it('checks who may import: 401 without a token, 403 for a demander, jurisdiction for government users', async () => {
    expect((await t.inject('POST', '/api/v1/facilities/import', { payload: badFile(), headers: { 'content-type': 'text/csv' } })).statusCode).toBe(401);
    const demander = await importFile(tokens.buyer, badFile());
    expect(demander.statusCode).toBe(403);
    expect(demander.json().code).toBe('IMPORT_FORBIDDEN');
    const government = await importFile(tokens['gov-sx'], csvBody(',苏州节点,320505,,planned,edge,10,0,,,,,,大同云数科技'), '?dryRun=true');
    expect(government.statusCode).toBe(422);
    expect(government.json().report).toMatchObject({ dryRun: true, errors: [{ row: 2, column: 'regionCode', code: 'OUT_OF_JURISDICTION' }] });
  });

  it('refuses a file whose header lacks required columns, listing the expected ones', async () => {
    const response = await importFile(tokens.admin, Buffer.from('name,regionCode\nA,140213\n'));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'IMPORT_MISSING_COLUMNS' });
    expect(response.json().detail).toContain('racksInUse');
  });

  it('exports CSV with the list filters; importing that file again (dry run) reports every row as a duplicate', async () => {
    const response = await t.inject('GET', '/api/v1/facilities/export?format=csv&region=140200', { token: tokens.admin });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="facilities-\d{8}\.csv"$/);
    expect([...response.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = response.body.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(lines[0]).toContain('computeId,name,regionCode');
    expect(lines[0]).toContain('rackUtilization,fp32Equivalent');
    const inDatong = await count('&region=140200');
    expect(lines).toHaveLength(inDatong + 1);
    expect(response.body).toContain('512 × H200; 256 × Ascend 910B');

    const before = await count();
    const again = await importFile(tokens.admin, response.rawPayload, '?dryRun=true');
    expect(again.statusCode, again.body).toBe(422);
    const report = again.json().report;
    expect(report).toMatchObject({ dryRun: true, rows: inDatong, valid: 0, invalid: inDatong, imported: 0 });
    expect(report.errors.filter((e: { code: string }) => e.code === 'DUPLICATE_COMPUTE_ID')).toHaveLength(inDatong);
    expect(report.errors[0].message).toContain('duplicate identifier');
    expect(await count()).toBe(before);
  });

  it('round-trips XLSX over HTTP: export, edit in a workbook, import as new facilities', async () => {
    const response = await t.inject('GET', '/api/v1/facilities/export?format=xlsx&region=140213&sort=name', { token: tokens.admin });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe(XLSX);
    expect(response.headers['content-disposition']).toMatch(/filename="facilities-\d{8}\.xlsx"/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as never);
    const sheet = workbook.worksheets[0];
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getRow(1).getCell(1).value).toBe('computeId');
    expect(sheet.getRow(1).font?.bold ?? sheet.getRow(1).getCell(1).font?.bold).toBe(true);
    const exported = sheet.actualRowCount - 1;
    expect(exported).toBe(await count('&region=140213'));

    // A copy of every facility under a new name and without identifier is a new facility.
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const nameColumn = header.indexOf('name') + 1;
    const idColumn = header.indexOf('computeId') + 1;
    for (let r = 2; r <= sheet.rowCount; r++) {
      const row = sheet.getRow(r);
      row.getCell(idColumn).value = null;
      row.getCell(nameColumn).value = `${String(row.getCell(nameColumn).value)}（副本）`;
    }
    const edited = Buffer.from(await workbook.xlsx.writeBuffer());
    const before = await count();
    const imported = await importFile(tokens.admin, edited, '', 'application/octet-stream');
    expect(imported.statusCode, imported.body).toBe(200);
    expect(imported.json()).toMatchObject({ format: 'xlsx', rows: exported, imported: exported });
    expect(await count()).toBe(before + exported);
    const copy = (await t.inject('GET', `/api/v1/facilities?q=${encodeURIComponent('大同智算中心一期（副本）')}`, { token: tokens.admin })).json().items[0];
    expect(copy).toMatchObject({ racksDesigned: 2000, racksInUse: 1800, pueDesign: 1.2, greenPowerPct: 45, ownerOrgName: '大同云数科技' });
    expect(copy.accelerators).toHaveLength(2);
  });

  it('describes both routes in the OpenAPI document', async () => {
    const document = (await t.inject('GET', '/api/v1/openapi.json')).json();
    expect(document.paths['/api/v1/facilities/import'].post.tags).toEqual(['ledger']);
    expect(document.paths['/api/v1/facilities/import'].post.responses).toHaveProperty('422');
    expect(document.paths['/api/v1/facilities/export'].get.responses['200'].content).toHaveProperty(XLSX);
  });
});
