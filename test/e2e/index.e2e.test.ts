/**
 * The comprehensive computing power index page (综合算力指数) in Chromium: the national reviewer opens
 * it from the menu; 31 provinces ranked 1..31; the radar of the top three renders; moving the
 * environment weight and applying re-queries with the new weights and re-renders the table; the
 * sensitivity heat-map renders; the page switches to English. Screenshots go to /tmp/suanli-e2e/index-*.png.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type OpenedApp, openApp, SHOTS } from './browser.ts';

let app: OpenedApp;
let server: OpenedApp['server'];
let page: Page;
let consoleProblems: string[] = [];

async function shot(name: string) {
  await page.screenshot({ path: path.join(SHOTS, `index-${name}.png`), fullPage: true });
}

async function waitForRendered(testId: string) {
  await page.locator(`[data-testid="${testId}"][data-rendered="true"]`).waitFor();
}

/** The ranks and region names of the index table, top to bottom. */
async function tableRows(): Promise<{ ranks: number[]; names: string[] }> {
  const table = page.getByTestId('index-table');
  const ranks = (await table.getByTestId('index-rank').allTextContents()).map(Number);
  const names = await table.getByTestId('index-region').allTextContents();
  return { ranks, names };
}

describe('index: the comprehensive computing power index page', () => {
  beforeAll(async () => {
    app = await openApp({ recordHttpErrors: true });
    ({ server, page } = app);
    consoleProblems = app.problems;
  });

  afterEach(async (context) => {
    if (context.task.result?.state === 'fail') await shot(`failed-${context.task.name.replace(/[^\w]+/g, '-').slice(0, 60)}`).catch(() => {});
  });

  afterAll(async () => {
    await app?.close();
  });

  it('ranks the 31 provinces 1..31 for the national reviewer, with the method version and the radar', async () => {
    await page.goto(`${server.url}/login`);
    await page.getByTestId('login-username').fill('gov-national');
    await page.getByTestId('login-password').fill(server.demoPassword);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('user-name').waitFor();

    await page.getByTestId('nav-index').click();
    await page.waitForURL(/\/index$/);
    await page.getByTestId('index-page').waitFor();
    await page.getByTestId('page-title').filter({ hasText: '综合算力指数' }).waitFor();
    await expect.poll(async () => (await tableRows()).ranks.length).toBe(31);
    const { ranks, names } = await tableRows();
    expect(ranks).toEqual(Array.from({ length: 31 }, (_, i) => i + 1));
    expect(new Set(names).size).toBe(31);

    await page.getByTestId('method-link').getByText('docs/methods/index.md').waitFor();
    await page.getByTestId('method-version').filter({ hasText: /方法版本 \d+\.\d+/ }).waitFor();
    await page.getByTestId('model-no-data').getByText('模力维度暂无数据').waitFor();

    await waitForRendered('index-radar');
    expect(await page.locator('[data-testid="index-radar"] canvas').count()).toBeGreaterThan(0);
    // The radar shows the top three by default.
    const tags = await page.getByTestId('radar-select').locator('.ant-tag').allTextContents();
    expect(tags.map((tag) => tag.trim())).toEqual(names.slice(0, 3).map((name, i) => `${i + 1}. ${name}`));
    await waitForRendered('index-sensitivity');
    await shot('01-provinces');
  });

  it('re-queries with the new weights when the environment weight moves and is applied', async () => {
    const before = await tableRows();
    const defaultPct = await page.getByTestId('weight-pct-environment').textContent();
    const handle = page.getByTestId('weight-environment').locator('.ant-slider-handle');
    await handle.focus();
    for (let i = 0; i < 30; i++) await handle.press('ArrowRight');
    await expect.poll(() => page.getByTestId('weight-pct-environment').textContent()).not.toBe(defaultPct);

    const indexRequest = page.waitForRequest((request) => /\/api\/v1\/index\?/.test(request.url()) && request.url().includes('weights='));
    const sensitivityRequest = page.waitForRequest((request) => request.url().includes('/api/v1/index/sensitivity?') && request.url().includes('weights='));
    const indexResponse = page.waitForResponse((response) => /\/api\/v1\/index\?/.test(response.url()) && response.url().includes('weights='));
    await page.getByTestId('weights-apply').click();
    const sent = new URL((await indexRequest).url());
    const weights = sent.searchParams.get('weights') ?? '';
    expect(weights).toMatch(/^compute:[\d.]+,storage:[\d.]+,network:[\d.]+,model:[\d.]+,environment:[\d.]+$/);
    const environment = Number(/environment:([\d.]+)/.exec(weights)?.[1]);
    const shown = Number.parseFloat((await page.getByTestId('weight-pct-environment').textContent()) ?? '');
    expect(environment * 100).toBeCloseTo(shown, 0);
    expect(new URL((await sensitivityRequest).url()).searchParams.get('weights')).toBe(weights);

    const response = await indexResponse;
    expect(response.status()).toBe(200);
    const body = (await response.json()) as { weights: { dimensions: Record<string, number> }; regions: { code: string; name: string; rank: number }[] };
    expect(body.weights.dimensions.environment).toBeCloseTo(environment, 3);
    // The table shows the new answer, in its order.
    const expected = [...body.regions].sort((a, b) => a.rank - b.rank).map((region) => region.name);
    await expect.poll(async () => (await tableRows()).names).toEqual(expected);
    expect((await tableRows()).ranks).toEqual(before.ranks);
    await page.getByText('自定义权重').waitFor();
    await waitForRendered('index-radar');
    await waitForRendered('index-sensitivity');
    await shot('02-custom-weights');
  });

  it('shows the sensitivity heat-map with every province and its best and worst rank', async () => {
    const card = page.getByTestId('sensitivity-card');
    await card.getByText('上下浮动 20%').waitFor();
    await waitForRendered('index-sensitivity');
    expect(await page.locator('[data-testid="index-sensitivity"] canvas').count()).toBeGreaterThan(0);
    const rows = page.locator('[data-testid="sensitivity-table"] tr.ant-table-row');
    await expect.poll(() => rows.count()).toBe(31);
    await page.getByTestId('sensitivity-card').scrollIntoViewIfNeeded();
    await page.getByTestId('sensitivity-card').screenshot({ path: path.join(SHOTS, 'index-03-sensitivity.png') });

    await page.getByTestId('weights-reset').click();
    await page.getByText('默认权重').waitFor();
  });

  it('switches to the city level', async () => {
    await page.getByTestId('index-level').getByText('地市级').click();
    await page.waitForURL(/level=city/);
    await expect.poll(async () => (await tableRows()).ranks.slice(0, 3)).toEqual([1, 2, 3]);
    await waitForRendered('index-radar');
    await waitForRendered('index-sensitivity');
    await page.getByText(/仅显示前 \d+ 名/).waitFor();
    await shot('04-cities');
    await page.getByTestId('index-level').getByText('省级').click();
    await expect.poll(async () => (await tableRows()).ranks.length).toBe(31);
  });

  it('switches the page to English', async () => {
    await page.getByTestId('lang-switch').getByText('EN').click();
    await page.getByTestId('side-menu').getByText('Computing power index').waitFor();
    await page.getByTestId('page-title').filter({ hasText: 'Comprehensive computing power index' }).waitFor();
    await page.getByText('No data yet for model capability').waitFor();
    await page.getByText('How ranks move when each weight moves ±20%', { exact: false }).waitFor();
    await page.getByTestId('method-version').filter({ hasText: /method version \d+\.\d+/ }).waitFor();
    await waitForRendered('index-radar');
    await waitForRendered('index-sensitivity');
    await shot('05-english');
  });

  it('logged nothing to the browser console', () => {
    expect(consoleProblems).toEqual([]);
  });
});
