/**
 * The live situation page (态势感知) in Chromium against a real server with the small demo: the
 * national reviewer opens it from the menu and reads the IT power; a facility pushes a new sample
 * with its ingestion token (and the demo trickle ticks); the page shows the new figure on its own,
 * without a reload. It pauses while the tab is hidden, drills from the country to 山西 and 大同 and
 * on to a facility's charts, withholds figures from a demander, and speaks English.
 * Screenshots go to /tmp/suanli-e2e/situation-*.png.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { formatPower } from '../../web/src/features/situation/display.ts';
import { type OpenedApp, openApp, SHOTS } from './browser.ts';

let app: OpenedApp;
let server: OpenedApp['server'];
let page: Page;
let consoleProblems: string[] = [];

async function shot(name: string) {
  await page.screenshot({ path: path.join(SHOTS, `situation-${name}.png`), fullPage: true });
}

async function login(username: string) {
  await page.goto(`${server.url}/login`);
  await page.evaluate(() => localStorage.removeItem('suanli.token'));
  await page.reload();
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(server.demoPassword);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('user-name').waitFor();
}

const text = async (testId: string) => ((await page.getByTestId(testId).textContent()) ?? '').trim();

/** The country's IT power as the API answers it now, formatted as the page shows it. */
async function apiItPower(token: string): Promise<string> {
  const response = await server.test.inject('GET', '/api/v1/monitoring/regions/000000?trend=false', { token });
  expect(response.statusCode, response.body).toBe(200);
  return formatPower(response.json().totals.itPowerKw, 'zh');
}

describe('situation: the live situation page refreshes on its own', () => {
  let national = '';

  beforeAll(async () => {
    app = await openApp({ recordHttpErrors: true });
    ({ server, page } = app);
    consoleProblems = app.problems;
    national = await server.test.login('gov-national');
  });

  afterEach(async (context) => {
    if (context.task.result?.state === 'fail') await shot(`failed-${context.task.name.replace(/[^\w]+/g, '-').slice(0, 60)}`).catch(() => {});
  });

  afterAll(async () => {
    await app?.close();
  });

  it('shows the live figures of the country, the map and the trend', async () => {
    await login('gov-national');
    await page.getByTestId('nav-situation').click();
    await page.waitForURL(/\/situation$/);
    await page.getByTestId('page-title').filter({ hasText: '态势感知' }).waitFor();
    await page.getByTestId('kpi-itPower-value').filter({ hasText: /MW|kW/ }).waitFor();
    expect(await text('kpi-itPower-value')).toBe(await apiItPower(national));
    expect(await text('kpi-reporting-value')).toMatch(/^\d+ \/ \d+$/);
    expect(await text('kpi-pue-value')).toMatch(/^1\.\d\d$/);
    expect(await page.getByTestId('situation-live').getAttribute('data-state')).toBe('live');
    await page.getByTestId('situation-updated').filter({ hasText: /更新于 \d\d:\d\d:\d\d/ }).waitFor();
    await page.locator('[data-testid="situation-map"][data-rendered="true"]').waitFor();
    await page.locator('[data-testid="situation-trend"][data-rendered="true"]').waitFor();
    // 山西 reports (every 大同 facility in operation does): its row has figures.
    await expect.poll(async () => (await page.getByTestId('situation-row-140000').textContent()) ?? '').toMatch(/MW|kW/);
    await shot('01-country');
  });

  it('shows new samples on its own, without a reload', async () => {
    const before = await text('kpi-itPower-value');
    const updatedBefore = await text('situation-updated');
    await page.evaluate(() => {
      (globalThis as unknown as { __notReloaded?: boolean }).__notReloaded = true;
    });
    // A 大同 facility that reports pushes a new IT power, 100 MW above its last, with an ingestion token.
    const [target] = await server.test.platform.deps.database.query<{ id: string; value: number }>(
      `select l.facility_id as id, l.value from facility_metric_latest l join metric_series s on s.id = l.series_id
       where l.metric = 'it_power_kw' and s.labels = '{}'::jsonb and l.facility_id in (select id from facilities where region_code like '1402%') order by l.facility_id limit 1`,
    );
    expect(target).toBeDefined();
    const admin = await server.test.login('admin');
    const created = await server.test.inject('POST', `/api/v1/facilities/${target!.id}/ingest-tokens`, { token: admin, body: { name: 'e2e-situation' } });
    expect(created.statusCode, created.body).toBe(201);
    const pushed = await server.test.inject('POST', '/api/v1/metrics', {
      token: created.json().token,
      body: { samples: [{ metric: 'it_power_kw', value: target!.value + 100_000, ts: Date.now() }] },
    });
    expect(pushed.statusCode, pushed.body).toBe(200);
    expect(pushed.json().inserted).toBe(1);
    // The demo's live trickle writes its minute's samples too (nothing new when the minute was written already).
    await server.test.platform.demoTrickle!.tick();

    // Within a polling interval or two the page shows what the API answers now — 100 MW more.
    await expect
      .poll(async () => {
        const shown = await text('kpi-itPower-value');
        return shown !== before && shown === (await apiItPower(national));
      }, { timeout: 45_000, interval: 1_000 })
      .toBe(true);
    expect(await text('situation-updated')).not.toBe(updatedBefore);
    expect(await page.evaluate(() => (globalThis as unknown as { __notReloaded?: boolean }).__notReloaded)).toBe(true);
    const mw = (shown: string) => Number.parseFloat(shown.replace(/,/g, ''));
    expect(mw(await text('kpi-itPower-value')) - mw(before)).toBeGreaterThan(90);
    await shot('02-updated');
    // The first screen, for docs/screenshots/situation.png.
    await page.screenshot({ path: path.join(SHOTS, 'situation-live.png') });
  });

  it('pauses while the tab is hidden and refreshes when it is shown again', async () => {
    const setHidden = (hidden: boolean) =>
      page.evaluate((value) => {
        // The test has no DOM types: the page's document, as far as it is used here.
        const doc = (globalThis as unknown as { document: { dispatchEvent(event: Event): boolean } }).document;
        Object.defineProperty(doc, 'visibilityState', { configurable: true, get: () => (value ? 'hidden' : 'visible') });
        doc.dispatchEvent(new Event('visibilitychange'));
      }, hidden);
    await setHidden(true);
    await page.locator('[data-testid="situation-live"][data-state="paused"]').waitFor();
    await page.getByText('已暂停（页面不可见）').waitFor();
    let requests = 0;
    const count = (request: { url(): string }) => {
      if (request.url().includes('/api/v1/monitoring/regions/')) requests += 1;
    };
    page.on('request', count);
    await page.waitForTimeout(16_000); // longer than the 15 s interval
    expect(requests).toBe(0);
    const answered = page.waitForResponse((response) => response.url().includes('/api/v1/monitoring/regions/000000?trend=false'));
    await setHidden(false);
    expect((await answered).status()).toBe(200);
    page.off('request', count);
    await page.locator('[data-testid="situation-live"][data-state="live"]').waitFor();
  });

  it('drills from the country to 山西, to 大同 and to a facility with its charts', async () => {
    await page.getByTestId('situation-drill-140000').click();
    await page.waitForURL(/region=140000/);
    await page.getByTestId('situation-crumb-current').filter({ hasText: '山西省' }).waitFor();
    await page.locator('[data-testid="situation-map"][data-rendered="true"]').waitFor();
    await expect.poll(async () => (await page.getByTestId('situation-row-140200').textContent()) ?? '').toMatch(/MW|kW/);
    await shot('03-shanxi');

    await page.getByTestId('situation-drill-140200').click();
    await page.waitForURL(/region=140200/);
    await page.getByTestId('situation-crumb-current').filter({ hasText: '大同市' }).waitFor();
    const table = page.getByTestId('situation-facilities-table');
    await table.getByText('上报中').first().waitFor();
    const links = table.locator('a[data-testid^="situation-facility-"]');
    expect(await links.count()).toBeGreaterThan(1);
    await shot('04-datong');

    await links.first().click();
    await page.waitForURL(/\/facilities\/fac_/);
    await page.getByTestId('facility-detail-page').waitFor();
    await page.getByTestId('monitoring-latest').waitFor();
  });

  it('withholds from a demander the figures of provinces with one or two facilities', async () => {
    await login('demander');
    await page.goto(`${server.url}/situation`);
    await page.getByTestId('situation-withheld-note').waitFor();
    // The country's total rests on many facilities: published.
    await page.getByTestId('kpi-itPower-value').filter({ hasText: /MW|kW/ }).waitFor();
    expect(await page.getByTestId('situation-children-table').getByTestId('situation-withheld').count()).toBeGreaterThan(0);
    await shot('05-demander');
  });

  it('speaks English', async () => {
    await page.getByTestId('lang-switch').getByText('EN').click();
    await page.getByTestId('side-menu').getByText('Live situation').waitFor();
    await page.getByTestId('page-title').filter({ hasText: 'Live situation' }).waitFor();
    await page.getByTestId('situation-updated').filter({ hasText: /Updated \d\d:\d\d:\d\d/ }).waitFor();
    await page.getByText('Provinces now').waitFor();
    await page.getByTestId('lang-switch').getByText('中文').click();
  });

  it('logged nothing to the browser console', () => {
    expect(consoleProblems).toEqual([]);
  });
});
