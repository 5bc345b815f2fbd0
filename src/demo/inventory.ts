/**
 * Accelerator inventories for demo intelligent centres. Older centres hold A100/V100-era NVIDIA
 * cards; newer ones the export variants (H800, H20, L20) and, increasingly, domestic cards, which is
 * the trend the national statistics report.
 */
import { toAcceleratorLines } from '../ledger/catalogue.ts';
import type { AcceleratorCount } from '../ledger/catalogue.ts';
import type { AcceleratorLine } from '../ledger/types.ts';
import type { Random } from './random.ts';

// 'frontier' is the top-end build wave (910C, H800/H200 class) of flagship projects such as 大同's.
export const GENERATIONS = ['old', 'current', 'new', 'frontier'] as const;
export type Generation = (typeof GENERATIONS)[number];

type Pool = readonly (readonly [model: string, weight: number])[];

const NVIDIA: Record<Generation, Pool> = {
  old: [['V100', 3], ['A100 80GB', 4], ['T4', 1], ['A10', 1.5], ['RTX 4090', 1]],
  current: [['A800', 4], ['A100 80GB', 2], ['H800', 4], ['L40S', 1.5], ['RTX 4090', 1], ['H100 SXM', 0.8]],
  new: [['H20', 5], ['H800', 2], ['L20', 2.5], ['H200', 1], ['L40S', 1]],
  frontier: [['H800', 2], ['H200', 1]],
};

const DOMESTIC: Record<Generation, Pool> = {
  old: [['DCU Z100', 2], ['MLU370-X8', 2], ['Ascend 310P', 1], ['R300', 1]],
  current: [['Ascend 910B', 8], ['DCU K100', 2], ['MLU370-X8', 1], ['BI-V150', 1], ['MTT S4000', 0.8], ['C500', 0.8], ['Ascend 310P', 0.5]],
  new: [['Ascend 910B', 6], ['Ascend 910C', 4], ['DCU K100', 2], ['MLU590', 1.5], ['P800', 1.5], ['C500', 1], ['BI-V150', 0.8], ['MTT S4000', 0.8], ['S60', 0.5]],
  frontier: [['Ascend 910C', 5], ['MLU590', 1], ['P800', 1]],
};

/** Share of domestic cards by generation (est.): the domestic share rises with each build wave. */
export const DOMESTIC_SHARE: Readonly<Record<Generation, number>> = { old: 0.2, current: 0.42, new: 0.62, frontier: 0.7 };

const SERVER_CARDS = 8;

function roundToServers(cards: number): number {
  return Math.max(SERVER_CARDS, Math.round(cards / SERVER_CARDS) * SERVER_CARDS);
}

export interface InventoryRequest {
  cards: number; // total cards wanted, before rounding to 8-card servers
  generation: Generation;
  domesticBoost: number; // added to the generation's domestic share (state-backed western centres buy domestic)
}

/** One to three models, split by random shares, each rounded to whole 8-card servers. */
export function generateInventory(random: Random, request: InventoryRequest): AcceleratorLine[] {
  const domesticShare = Math.min(0.95, DOMESTIC_SHARE[request.generation] + request.domesticBoost);
  const modelCount = request.cards < 64 ? 1 : random.int(1, 3);
  const chosen: string[] = [];
  for (let i = 0; i < modelCount; i++) {
    const pool = random.chance(domesticShare) ? DOMESTIC[request.generation] : NVIDIA[request.generation];
    const available = pool.filter(([model]) => !chosen.includes(model));
    if (available.length === 0) continue;
    chosen.push(random.weighted(available, ([, weight]) => weight)[0]);
  }
  const shares = chosen.map(() => random.float(0.5, 1.5));
  const total = shares.reduce((sum, s) => sum + s, 0);
  const counts: AcceleratorCount[] = chosen.map((model, i) => ({
    model,
    count: roundToServers((request.cards * (shares[i] ?? 1)) / total),
  }));
  return toAcceleratorLines(counts);
}

/** Multiplies every line's count, keeping whole servers; used to hit a published compute total. */
export function scaleInventory(lines: readonly AcceleratorLine[], factor: number): AcceleratorLine[] {
  return lines.map((line) => ({ ...line, count: roundToServers(line.count * factor) }));
}

const EDGE_POOL: Pool = [['T4', 3], ['A10', 2], ['L20', 2], ['L4', 2], ['Ascend 310P', 3], ['S60', 1]];

/** A few inference cards for an edge node (8–64). */
export function generateEdgeInventory(random: Random): AcceleratorLine[] {
  const model = random.weighted(EDGE_POOL, ([, weight]) => weight)[0];
  return toAcceleratorLines([{ model, count: roundToServers(random.int(8, 64)) }]);
}
