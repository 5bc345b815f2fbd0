/**
 * Heat-map of rank shifts: regions (rows, by rank) × (dimension weight −20%, +20%) (columns).
 * A shift is new rank − rank: negative (the region rises) is green, positive (it falls) is red.
 * Pure, so the tests need no browser.
 */
import type { EChartsOption } from 'echarts';
import { INDEX_DIMENSIONS, type IndexDimension, type IndexSensitivity } from '../../types.ts';

export interface SensitivityLabels {
  dimensions: Record<IndexDimension, string>;
  /** Tooltip text with {region}, {scenario}, {rank}, {shift} placeholders filled by the builder. */
  tooltip: string;
  shift: string;
}

export interface SensitivityColumn {
  dimension: IndexDimension;
  change: number;
  label: string;
}

export interface SensitivityGrid {
  rows: { code: string; name: string; rank: number }[];
  columns: SensitivityColumn[];
  /** [column, row, shift, new rank] */
  cells: [number, number, number, number][];
  /** Largest |shift|, at least 1 so the colour scale is never empty. */
  extent: number;
}

const pct = (change: number) => `${change > 0 ? '+' : '−'}${Math.round(Math.abs(change) * 100)}%`;

/** Columns in dimension order, −step before +step; rows by baseline rank. */
export function sensitivityGrid(data: Pick<IndexSensitivity, 'regions' | 'scenarios'>, dimensionLabels: Record<IndexDimension, string>): SensitivityGrid {
  const rows = [...data.regions].sort((a, b) => a.rank - b.rank).map(({ code, name, rank }) => ({ code, name, rank }));
  const rowOf = new Map(rows.map((row, index) => [row.code, index]));
  const order = (dimension: string) => INDEX_DIMENSIONS.indexOf(dimension as IndexDimension);
  const scenarios = [...data.scenarios].sort((a, b) => order(a.dimension) - order(b.dimension) || a.change - b.change);
  const columns = scenarios.map((scenario) => ({
    dimension: scenario.dimension,
    change: scenario.change,
    label: `${dimensionLabels[scenario.dimension] ?? scenario.dimension} ${pct(scenario.change)}`,
  }));
  const cells: SensitivityGrid['cells'] = [];
  let extent = 1;
  scenarios.forEach((scenario, column) => {
    for (const entry of scenario.ranks) {
      const row = rowOf.get(entry.code);
      if (row === undefined) continue;
      cells.push([column, row, entry.shift, entry.rank]);
      extent = Math.max(extent, Math.abs(entry.shift));
    }
  });
  return { rows, columns, cells, extent };
}

/** Height in pixels that gives every region a readable row. */
export function sensitivityHeight(rowCount: number): number {
  return Math.max(240, Math.min(rowCount, 400) * 18 + 110);
}

const fill = (template: string, vars: Record<string, string | number>) => template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));

export function buildSensitivityOption(grid: SensitivityGrid, labels: SensitivityLabels): EChartsOption {
  return {
    animation: false,
    tooltip: {
      position: 'top',
      formatter: (raw: unknown) => {
        const params = raw as { data?: [number, number, number, number] };
        const cell = params.data;
        if (!cell) return '';
        const [column, row, shift, rank] = cell;
        return fill(labels.tooltip, {
          region: grid.rows[row]?.name ?? '',
          scenario: grid.columns[column]?.label ?? '',
          rank,
          shift: shift > 0 ? `+${shift}` : String(shift),
        });
      },
    },
    grid: { top: 8, left: 8, right: 16, bottom: 64, containLabel: true },
    xAxis: {
      type: 'category',
      position: 'bottom',
      data: grid.columns.map((column) => column.label),
      splitArea: { show: true },
      axisLabel: { interval: 0, rotate: 30, fontSize: 11 },
    },
    yAxis: {
      type: 'category',
      inverse: true,
      data: grid.rows.map((row) => `${row.rank}. ${row.name}`),
      splitArea: { show: true },
      axisLabel: { interval: 0, fontSize: 11 },
    },
    visualMap: {
      type: 'continuous',
      min: -grid.extent,
      max: grid.extent,
      dimension: 2,
      calculable: false,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      itemHeight: 160,
      text: [`+${grid.extent}`, `−${grid.extent}`],
      textGap: 6,
      // Green: the region rises (shift < 0); white: no change; red: it falls.
      inRange: { color: ['#15803d', '#bbf7d0', '#ffffff', '#fecaca', '#b91c1c'] },
    },
    series: [
      {
        name: labels.shift,
        type: 'heatmap',
        data: grid.cells,
        label: { show: true, fontSize: 10, formatter: (raw: unknown) => {
          const shift = (raw as { data?: number[] }).data?.[2] ?? 0;
          return shift === 0 ? '' : shift > 0 ? `+${shift}` : String(shift);
        } },
        itemStyle: { borderColor: '#e5e7eb', borderWidth: 1 },
        emphasis: { itemStyle: { borderColor: '#111827', borderWidth: 1 } },
      },
    ],
  };
}
