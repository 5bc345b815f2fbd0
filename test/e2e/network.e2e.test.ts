/**
 * The network monitoring page (网络监测) in Chromium on the small demo: a demander opens it from the
 * menu; the hub heat-map shows the API's round trips; the worst links are listed; the circle counts
 * of 大同 (one-way) equal the API's, the nearest facilities show their one-way figures, and the circle
 * map draws its facilities; choosing 北京 redraws them; the province level fills the 31 × 31
 * heat-map; the page switches to English. Screenshots go to /tmp/suanli-e2e/network-*.png.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type OpenedApp, openApp, SHOTS } from './browser.ts';

let app: OpenedApp;
let server: OpenedApp['server'];
let page: Page;
let apiToken = '';

async function shot(name: string) {
  await page.screenshot({ path: path.join(SHOTS, `network-${name}.png`), fullPage: true });
}

async function waitForRendered(testId: string) {
  await page.locator(`[data-testid="${testId}"][data-rendered="true"]`).waitFor();
}

async function apiGet(url: string) {
  const response = await server.test.inject('GET', url, { token: apiToken });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

/** The data of a series of a live chart, read from its ECharts instance. */
async function chartData(testId: string, seriesIndex: number): Promise<unknown[]> {
  return page.evaluate(
    ([id, index]) => {
      const charts = (globalThis as unknown as { __suanliCharts?: Record<string, { getOption(): { series: { data: unknown[] }[] } }> }).__suanliCharts;
      return charts?.[id as string]?.getOption().series[index as number]?.data ?? [];
    },
    [testId, seriesIndex] as const,
  );
}

async function circleCounts() {
  const counts: Record<string, number> = {};
  for (const key of ['city', 'province', 'hub']) counts[key] = Number(await page.getByTestId(`circle-count-${key}`).textContent());
  return counts;
}

describe('network monitoring page', () => {
  beforeAll(async () => {
    app = await openApp({ recordHttpErrors: true });
    ({ server, page } = app);
    apiToken = await server.test.login('demander');
  });

  afterEach(async (context) => {
    if (context.task.result?.state === 'fail') await shot(`failed-${context.task.name.replace(/[^\w]+/g, '-').slice(0, 60)}`).catch(() => {});
  });

  afterAll(async () => {
    await app?.close();
  });

  it('opens from the menu with the hub heat-map and the worst links of the demo matrix', async () => {
    await page.goto(`${server.url}/login`);
    await page.getByTestId('login-username').fill('demander');
    await page.getByTestId('login-password').fill(server.demoPassword);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('user-name').waitFor();

    await page.getByTestId('nav-network').click();
    await page.waitForURL(/\/network$/);
    await page.getByTestId('page-title').filter({ hasText: '网络监测' }).waitFor();
    await waitForRendered('latency-heatmap');

    const hubs = await apiGet('/api/v1/network/latency?level=hub&worst=10');
    expect(hubs.measuredRows).toBeGreaterThan(0);
    await page.getByTestId('network-measured').filter({ hasText: `${hubs.measuredRows.toLocaleString('zh-CN')} 条实测` }).waitFor();
    // Each unordered pair of the API in both halves of the matrix, the diagonal once.
    const diagonal = hubs.pairs.filter((p: { a: string; b: string }) => p.a === p.b).length;
    const cells = (await chartData('latency-heatmap', 0)) as number[][];
    expect(cells).toHaveLength(hubs.pairs.length * 2 - diagonal);
    const shown = new Set(cells.map((c) => c[2]));
    for (const pair of hubs.pairs) expect(shown.has(pair.rttMs)).toBe(true);

    const rtts = await page.getByTestId('worst-links').getByTestId('worst-rtt').allTextContents();
    expect(rtts).toHaveLength(hubs.worstLinks.length);
    expect(rtts.map(Number)).toEqual(hubs.worstLinks.map((w: { rttMs: number }) => Number(w.rttMs >= 10 ? w.rttMs.toFixed(1) : w.rttMs.toFixed(2))));
    await shot('01-hubs');
  });

  it("shows 大同's latency circles with the API's counts and draws them on the map", async () => {
    const circles = await apiGet('/api/v1/network/circles?city=140200&limit=5000');
    const expected = Object.fromEntries(circles.circles.map((c: { key: string; facilities: number }) => [c.key, c.facilities]));
    expect(expected.hub).toBeGreaterThan(0);
    await expect.poll(circleCounts).toEqual(expected);
    await waitForRendered('circle-map');
    // Series 1–3: the facilities of each band (1 ms, 1–5 ms, 5–20 ms); together all within 20 ms.
    let drawn = 0;
    for (const index of [1, 2, 3]) drawn += (await chartData('circle-map', index)).length;
    expect(drawn).toBe(expected.hub);
    const nearest = await page.getByTestId('nearest-facilities').locator('tbody tr.ant-table-row').count();
    expect(nearest).toBe(Math.min(20, circles.facilities.length));
    // The circles are one-way: the cards say so, and the table shows each facility's one-way figure (half its round trip).
    await page.getByTestId('circle-city').getByText('城市圈 单向 ≤1 ms').waitFor();
    const oneWay = await page.getByTestId('nearest-facilities').getByTestId('nearest-one-way').allTextContents();
    const format = (ms: number) => (ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
    expect(oneWay).toEqual(circles.facilities.slice(0, 20).map((f: { oneWayMs: number }) => format(f.oneWayMs)));
    for (const f of circles.facilities) expect(f.oneWayMs).toBeCloseTo(f.rttMs / 2, 2);
    expect(circles.facilities.every((f: { oneWayMs: number; circle: string }) => f.oneWayMs <= { city: 1, province: 5, hub: 20 }[f.circle]!)).toBe(true);
    await shot('02-datong');
  });

  it('redraws the circles for another city chosen in the picker', async () => {
    await page.getByTestId('circle-city-picker').click();
    await page.keyboard.type('北京');
    const option = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option[title^="北京市"]').first();
    await option.waitFor();
    // The only match of 北京 is active: Enter picks it (a click can land while the list still animates).
    await page.keyboard.press('Enter');
    await page.waitForURL(/city=110100/);
    const circles = await apiGet('/api/v1/network/circles?city=110100&limit=5000');
    const expected = Object.fromEntries(circles.circles.map((c: { key: string; facilities: number }) => [c.key, c.facilities]));
    await expect.poll(circleCounts).toEqual(expected);
    await page.getByTestId('circles-card').getByText('从北京市的城市节点出发').waitFor();
    await shot('03-beijing');
  });

  it('fills the province heat-map and switches to English', async () => {
    await page.getByTestId('heatmap-level').getByText('省份').click();
    await page.waitForURL(/level=province/);
    const provinces = await apiGet('/api/v1/network/latency?level=province&worst=10');
    const diagonal = provinces.pairs.filter((p: { a: string; b: string }) => p.a === p.b).length;
    await expect.poll(async () => (await chartData('latency-heatmap', 0)).length).toBe(provinces.pairs.length * 2 - diagonal);
    await waitForRendered('latency-heatmap');
    await shot('04-provinces');

    await page.getByTestId('lang-switch').getByText('EN').click();
    await page.getByTestId('page-title').filter({ hasText: 'Network monitoring' }).waitFor();
    await page.getByTestId('nav-network').filter({ hasText: 'Network' }).waitFor();
    await page.getByTestId('circle-hub').getByText('Hub circle ≤20 ms one-way').waitFor();
    await shot('05-english');
    await page.getByTestId('lang-switch').getByText('中文').click();
    expect(app.problems).toEqual([]);
  });
});
