/**
 * The alerts page (告警) in Chromium: the national reviewer opens it from the menu and sees the demo's
 * firing alerts (national PUE and utilisation targets, evaluated when the demo starts), filters them
 * by severity, follows a facility link to its detail page, reads the demo rules, and switches to
 * English; a supplier creates a rule on its own facility with the form. Screenshots go to
 * /tmp/suanli-e2e/alerts-*.png.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type OpenedApp, openApp, SHOTS } from './browser.ts';

let app: OpenedApp;
let server: OpenedApp['server'];
let page: Page;

async function shot(name: string) {
  await page.screenshot({ path: path.join(SHOTS, `alerts-${name}.png`), fullPage: true });
}

const rows = () => page.getByTestId('alerts-table').locator('tr[data-testid^="alert-row-"]');

describe('alerts: the demo alerts in the web app', () => {
  beforeAll(async () => {
    app = await openApp({ recordHttpErrors: true });
    ({ server, page } = app);
  });

  afterEach(async (context) => {
    if (context.task.result?.state === 'fail') await shot(`failed-${context.task.name.replace(/[^\w]+/g, '-').slice(0, 60)}`).catch(() => {});
  });

  afterAll(async () => {
    await app?.close();
  });

  it('lists the firing demo alerts for the national reviewer, with severity and facility', async () => {
    const admin = await server.test.login('admin');
    const api = (await server.test.inject('GET', '/api/v1/alerts?state=open&limit=500', { token: admin })).json();
    expect(api.total, 'the demo start evaluates its rules').toBeGreaterThan(0);

    await page.goto(`${server.url}/login`);
    await page.getByTestId('login-username').fill('gov-national');
    await page.getByTestId('login-password').fill(server.demoPassword);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('user-name').waitFor();

    await page.getByTestId('nav-alerts').click();
    await page.waitForURL(/\/alerts$/);
    await page.getByTestId('page-title').filter({ hasText: '告警' }).waitFor();
    await expect.poll(async () => rows().count()).toBeGreaterThan(0);
    await page.getByTestId('alerts-total').filter({ hasText: `共 ${api.total} 条` }).waitFor();
    const states = await rows().evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-state')));
    expect(states.every((s) => s === 'firing' || s === 'pending')).toBe(true);
    expect(await page.getByTestId('alerts-table').getByText('PUE 高于国家目标', { exact: false }).count()).toBeGreaterThan(0);
    expect(await page.getByTestId('alert-severity-warning').count()).toBeGreaterThan(0);
    await shot('01-list');
  });

  it('filters by severity', async () => {
    await page.getByTestId('alert-severity-filter').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '提示' }).click();
    await page.waitForURL(/severity=info/);
    await expect.poll(async () => page.getByTestId('alert-severity-warning').count()).toBe(0);
    await expect.poll(async () => rows().count()).toBeGreaterThan(0);
    expect(await page.getByTestId('alerts-table').getByText('上架率低于 60%', { exact: false }).count()).toBeGreaterThan(0);
  });

  it("links an alert's facility to its detail page", async () => {
    const link = page.locator('[data-testid^="alert-facility-"]').first();
    const name = (await link.textContent())!.trim();
    await link.click();
    await page.waitForURL(/\/facilities\/fac_/);
    await page.getByTestId('facility-detail-page').waitFor();
    await page.getByTestId('page-title').filter({ hasText: name }).waitFor();
    await page.goBack();
    await page.getByTestId('alerts-page').waitFor();
  });

  it('lists the demo rules, and reads in English', async () => {
    await page.getByTestId('alert-rules-tab').click();
    await page.waitForURL(/tab=rules/);
    await expect.poll(async () => page.getByTestId('alert-rules-table').locator('tr[data-testid^="alert-rule-row-"]').count()).toBe(3);
    await page.getByTestId('alert-rules-table').getByText('10 分钟 内无数据').waitFor();
    await shot('02-rules');
    await page.getByTestId('lang-switch').getByText('EN').click();
    await page.getByTestId('page-title').filter({ hasText: 'Alerts' }).waitFor();
    await page.getByTestId('alert-rules-table').getByText('no sample for 10 min').waitFor();
    await page.getByTestId('alerts-tab').click();
    await page.getByTestId('alert-state-filter').getByText('Open').waitFor();
    await expect.poll(async () => rows().count()).toBeGreaterThan(0);
    await shot('03-english');
    expect(app.problems).toEqual([]);
  });

  it('lets a supplier create a rule on its own facility', async () => {
    await page.getByTestId('lang-switch').getByText('中文').click();
    await page.getByTestId('logout').click();
    await page.waitForURL(/\/login/);
    await page.getByTestId('login-username').fill('supplier-datong');
    await page.getByTestId('login-password').fill(server.demoPassword);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('user-name').waitFor();
    await page.getByTestId('nav-alerts').click();
    await page.getByTestId('alert-rules-tab').click();
    const ruleRows = page.getByTestId('alert-rules-table').locator('tr[data-testid^="alert-rule-row-"]');
    const before = await ruleRows.count();
    await page.getByTestId('new-rule').click();
    await page.getByTestId('rule-name').fill('大同机房 PUE 目标');
    await page.getByTestId('rule-facility').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').first().click();
    await shot('04-new-rule');
    await page.getByTestId('rule-submit').click();
    await expect.poll(async () => ruleRows.count()).toBe(before + 1);
    await page.getByTestId('alert-rules-table').getByText('大同机房 PUE 目标').waitFor();
    await page.getByTestId('alert-rules-table').getByText('1 天 平均 PUE > 1.5（国家枢纽内 > 1.25）').waitFor();
    const supplier = await server.test.login('supplier-datong');
    const rules = (await server.test.inject('GET', '/api/v1/alert-rules', { token: supplier })).json();
    expect(rules.items.map((r: { name: string }) => r.name)).toContain('大同机房 PUE 目标');
    expect(app.problems).toEqual([]);
  });
});
