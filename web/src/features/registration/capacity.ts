/** Compute capacity of an accelerator inventory: Σ count × datasheet figure, per precision. Pure. */
import { PRECISIONS, type CatalogueAccelerator, type ComputeCapacity } from '../../types.ts';

export interface InventoryLine {
  model?: string | null;
  count?: number | null;
}

export interface InventoryCapacity {
  compute: ComputeCapacity;
  /** max(FP64×2, FP32, FP16×0.5, INT8×0.25), the rule of docs/methods/units.md */
  fp32Equivalent: number;
  cards: number;
  domesticCards: number;
  unknownModels: string[];
}

export function fp32Equivalent(compute: ComputeCapacity): number {
  return Math.max(compute.fp64 * 2, compute.fp32, compute.fp16 * 0.5, compute.int8 * 0.25);
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

export function inventoryCapacity(lines: (InventoryLine | null | undefined)[] | undefined, catalogue: CatalogueAccelerator[]): InventoryCapacity {
  const byModel = new Map(catalogue.map((entry) => [entry.model, entry]));
  const compute: ComputeCapacity = { fp64: 0, fp32: 0, fp16: 0, int8: 0 };
  let cards = 0;
  let domesticCards = 0;
  const unknownModels: string[] = [];
  for (const line of lines ?? []) {
    if (!line?.model) continue;
    const count = Number(line.count);
    if (!Number.isFinite(count) || count <= 0) continue;
    const entry = byModel.get(line.model);
    if (!entry) {
      unknownModels.push(line.model);
      continue;
    }
    cards += count;
    if (entry.domestic) domesticCards += count;
    for (const precision of PRECISIONS) compute[precision] += count * (entry[precision] ?? 0);
  }
  for (const precision of PRECISIONS) compute[precision] = round(compute[precision]);
  return { compute, fp32Equivalent: round(fp32Equivalent(compute)), cards, domesticCards, unknownModels };
}
