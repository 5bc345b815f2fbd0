/**
 * The ledger's "done when", in a real Chromium against a real server with the small demo data:
 * a supplier in 大同 registers a facility; a Jiangsu reviewer cannot see it; the Shanxi reviewer
 * approves it; it is in the ledger with its compute ID and history; a change request from the owner
 * shows the reviewer its diff and, approved, enters the history; the overview map drills into
 * 山西 and lists 大同; the UI switches to English. Screenshots go to /tmp/suanli-e2e.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type OpenedApp, openApp, SHOTS } from './browser.ts';
const FACILITY = `大同E2E智算中心${Date.now().toString(36).toUpperCase()}`;
/** 山西's centre in china-geojson's china.json (`cp`), where a click lands on the province. */
const SHANXI_CENTRE: [number, number] = [112.389, 37.7586];

/** The part of an ECharts instance the test uses, typed here because the test has no DOM types. */
interface ChartHandle {
  convertToPixel(finder: { seriesIndex: number }, value: number[]): unknown;
}

let app: OpenedApp;
let server: OpenedApp['server'];
let page: Page;
let facilityUrl = '';
let consoleProblems: string[] = [];

async function shot(name: string) {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

async function login(username: string) {
  // Start signed out whatever the previous step left behind.
  await page.goto(`${server.url}/login`);
  await page.evaluate(() => localStorage.removeItem('suanli.token'));
  await page.reload();
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(server.demoPassword);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('user-name').waitFor();
}

/**
 * Confirms an antd confirmation dialog. On a loaded machine a click can land while the dialog is
 * still zooming in and be lost, so click again if the dialog has not closed after a while.
 */
async function confirmDialog(testId: string) {
  const button = page.getByTestId(testId);
  await button.waitFor();
  for (let attempt = 0; attempt < 3; attempt += 1) {
    await button.click({ timeout: 5_000 }).catch(() => undefined);
    const closed = await button.waitFor({ state: 'hidden', timeout: 8_000 }).then(() => true, () => false);
    if (closed) return;
  }
  throw new Error(`the ${testId} dialog did not close after three clicks`);
}

async function logout() {
  await page.getByTestId('logout').click();
  await page.getByTestId('login-card').waitFor();
}

/** Pick an option of an antd Select or Cascader column by its visible title. */
async function pickOption(kind: 'select' | 'cascader', title: string) {
  const selector = kind === 'select' ? `.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option[title="${title}"]` : `.ant-cascader-menu-item[title="${title}"]`;
  const option = page.locator(selector).first();
  await option.waitFor();
  await option.click();
}

async function waitForRendered(testId: string) {
  await page.locator(`[data-testid="${testId}"][data-rendered="true"]`).waitFor();
}

describe('ledger: register, review, approve, find, see on the map', () => {
  beforeAll(async () => {
    app = await openApp({ recordHttpErrors: false });
    ({ server, page } = app);
    consoleProblems = app.problems;
  });

  afterEach(async (context) => {
    if (context.task.result?.state === 'fail') await shot(`failed-${context.task.name.replace(/[^\w]+/g, '-').slice(0, 60)}`).catch(() => {});
  });

  afterAll(async () => {
    await app?.close();
  });

  it('shows the demo accounts on the login page', async () => {
    await page.goto(`${server.url}/`);
    await page.getByTestId('login-card').waitFor();
    await page.getByTestId('demo-hint').getByText('gov-shanxi').waitFor();
    await shot('01-login');
  });

  it('lets the 大同 supplier register a facility with accelerators and submit it', async () => {
    await login('supplier-datong');
    await page.getByTestId('nav-registrationNew').click();
    await page.getByTestId('registration-form-page').waitFor();
    await page.locator('#registration_name').waitFor({ state: 'visible' });

    await page.locator('#registration_name').fill(FACILITY);
    await page.getByTestId('reg-region').click();
    await pickOption('cascader', '山西省');
    await pickOption('cascader', '大同市');
    await pickOption('cascader', '平城区');
    await page.locator('#registration_address').fill('大同市平城区御河东路 88 号');

    await page.locator('#registration_status').click();
    await pickOption('select', '在用');
    await page.locator('#registration_kind').click();
    await pickOption('select', '智能算力');

    await page.locator('#registration_racksDesigned').fill('1000');
    await page.locator('#registration_racksInUse').fill('1200');
    await page.locator('#registration_racksInUse').blur();
    await page.getByText('在用机架数不能大于设计机架数').waitFor();
    await page.locator('#registration_racksInUse').fill('640');
    await page.locator('#registration_racksInUse').blur();
    await page.getByText('在用机架数不能大于设计机架数').waitFor({ state: 'detached' });

    await page.getByTestId('add-accelerator').click();
    await page.locator('#registration_accelerators_0_model').click();
    await page.locator('#registration_accelerators_0_model').fill('910B');
    const option = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').first();
    await option.waitFor();
    await option.click();
    await page.locator('#registration_accelerators_0_count').fill('512');
    await page.locator('#registration_accelerators_0_count').blur();
    await expect.poll(() => page.getByTestId('capacity-fp16').textContent()).not.toContain('0 TFLOPS');

    await page.locator('#registration_storagePb').fill('12.5');
    await page.locator('#registration_pueDesign').fill('1.25');
    await page.locator('#registration_greenPowerPct').fill('45');
    await page.locator('#registration_contacts_0_name').fill('张工');
    await page.locator('#registration_contacts_0_email').fill('zhang@datong.example.cn');
    await shot('02-registration-form');

    await page.getByTestId('reg-submit').click();
    await confirmDialog('confirm-submit');
    await page.waitForURL(/\/registrations$/);
    const row = page.locator(`[data-name="${FACILITY}"]`);
    await row.waitFor();
    await row.getByTestId('registration-status-submitted').waitFor();
    await shot('03-supplier-registrations');
    await logout();
  });

  it('keeps the registration out of the Jiangsu review queue', async () => {
    await login('gov-jiangsu');
    await page.getByTestId('nav-registrations').click();
    await page.getByTestId('registrations-page').waitFor();
    await page.locator('[data-testid="registrations-table"] .ant-spin-spinning').waitFor({ state: 'detached' });
    await page.getByTestId('registrations-total').filter({ hasText: /\d/ }).waitFor();
    expect(await page.locator(`[data-name="${FACILITY}"]`).count()).toBe(0);
    await shot('04-jiangsu-queue');
    await logout();
  });

  it('lets the Shanxi reviewer approve it from the review queue', async () => {
    await login('gov-shanxi');
    await page.getByTestId('nav-registrations').click();
    const row = page.locator(`[data-name="${FACILITY}"]`);
    await row.waitFor();
    await row.getByRole('button', { name: FACILITY }).click();
    const drawer = page.getByTestId('registration-drawer');
    await drawer.getByText('山西省 / 大同市 / 平城区').first().waitFor();
    await drawer.getByText('Ascend 910B ×512').waitFor();
    await page.waitForTimeout(400); // let the drawer finish sliding in, for the screenshot only
    await shot('05-shanxi-review-drawer');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
    await row.locator('[data-testid^="approve-"]').click();
    await confirmDialog('confirm-approve');
    await row.waitFor({ state: 'detached' });
    await shot('06-shanxi-queue-after-approval');
  });

  it('finds the approved facility in the ledger with its compute ID and approval history', async () => {
    await page.getByTestId('nav-facilities').click();
    await page.getByTestId('facilities-page').waitFor();
    const search = page.getByTestId('facilities-search').locator('input');
    await search.fill(FACILITY);
    await search.press('Enter');
    const row = page.locator('[data-testid="facilities-table"] tr.ant-table-row', { hasText: FACILITY });
    await row.waitFor();
    const computeId = (await row.getByTestId('facility-compute-id').textContent())?.trim() ?? '';
    expect(computeId).toMatch(/^CN-1402\d\d-\d{5}$/);
    await expect.poll(() => page.getByTestId('facilities-total').textContent()).toContain('共 1 条');
    await shot('07-ledger-search');

    await row.getByRole('link', { name: FACILITY }).click();
    await page.getByTestId('facility-detail-page').waitFor();
    expect((await page.getByTestId('detail-compute-id').textContent())?.trim()).toBe(computeId);
    await page.getByTestId('history-timeline').getByText('登记审核通过，入账').waitFor();
    await page.getByTestId('detail-accelerators').getByText('910B').first().waitFor();
    facilityUrl = page.url();
    await shot('08-facility-detail');
  });

  it('takes a change request from the owner through review into the history', async () => {
    await login('supplier-datong');
    await page.goto(facilityUrl);
    await page.getByTestId('request-change').click();
    await page.getByTestId('registration-form-page').waitFor();
    const inUse = page.locator('#registration_racksInUse');
    await expect.poll(() => inUse.inputValue()).toBe('640');
    await inUse.fill('720');
    await page.getByTestId('reg-submit').click();
    await confirmDialog('confirm-submit');
    await page.waitForURL(/\/registrations$/);

    await login('gov-shanxi');
    await page.getByTestId('nav-registrations').click();
    const row = page.locator(`[data-name="${FACILITY}"]`);
    await row.getByText('变更申请').waitFor();
    await row.getByRole('button', { name: FACILITY }).click();
    const diff = page.getByTestId('registration-diff');
    await diff.getByText('在用机架数').waitFor();
    expect(await diff.locator('tr.ant-table-row').count()).toBe(1);
    await page.waitForTimeout(400); // let the drawer finish sliding in, for the screenshot only
    await shot('09-change-diff');
    await page.getByTestId('registration-drawer').locator('[data-testid^="approve-"]').click();
    await confirmDialog('confirm-approve');
    await row.waitFor({ state: 'detached' });

    await page.goto(facilityUrl);
    const history = page.getByTestId('history-timeline');
    await history.getByText('变更审核通过').waitFor();
    await history.getByText('640').waitFor();
    await history.getByText('720').waitFor();
    await shot('10-facility-history-after-change');
  });

  it('renders the overview map and drills from the map into 山西, listing 大同', async () => {
    await page.getByTestId('nav-overview').click();
    await page.getByTestId('overview-page').waitFor();
    await waitForRendered('overview-map');
    expect(await page.locator('[data-testid="overview-map"] canvas').count()).toBeGreaterThan(0);
    await page.getByTestId('stat-facilities').getByText(/\d/).first().waitFor();
    await shot('11-overview-china');

    // The app registers its charts on window.__suanliCharts (web/src/charts/EChart.tsx).
    const pixel = await page.evaluate((centre) => {
      const charts = (globalThis as unknown as { __suanliCharts?: Record<string, ChartHandle> }).__suanliCharts;
      return charts?.['overview-map']?.convertToPixel({ seriesIndex: 0 }, centre) as number[] | undefined;
    }, SHANXI_CENTRE);
    expect(pixel).toBeDefined();
    const box = await page.getByTestId('overview-map').boundingBox();
    expect(box).not.toBeNull();
    await page.mouse.click(box!.x + pixel![0]!, box!.y + pixel![1]!);

    await page.getByTestId('crumb-current').filter({ hasText: '山西省' }).waitFor();
    await page.waitForURL(/region=140000/);
    await waitForRendered('overview-map');
    const datong = page.getByTestId('child-row-140200');
    await datong.getByText('大同市').waitFor();
    await shot('12-overview-shanxi');
  });

  it('switches the interface to English', async () => {
    await page.getByTestId('lang-switch').getByText('EN').click();
    await page.getByTestId('side-menu').getByText('Facility ledger').waitFor();
    await page.getByTestId('page-title').filter({ hasText: 'Overview' }).waitFor();
    await page.getByText('By city').waitFor();
    await waitForRendered('overview-map');
    await shot('13-overview-english');
    await page.getByTestId('nav-facilities').click();
    await page.getByText('Export CSV').waitFor();
    await page.locator('[data-testid="facilities-table"] tr.ant-table-row').first().waitFor();
    await shot('14-ledger-english');
  });

  it('logged nothing to the browser console', () => {
    expect(consoleProblems).toEqual([]);
  });
});
