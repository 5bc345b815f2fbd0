/**
 * Datasheet figures for common accelerators, so a supplier can register "512 × H200" and the ledger
 * derives compute per precision instead of trusting a hand-typed total.
 *
 * Figures are peak and dense (no structured sparsity), per card, in TFLOPS (INT8 in TOPS):
 * - fp64: the highest FP64 rate the card has (FP64 tensor core where it exists);
 * - fp32: plain FP32, not TF32 (TF32 is a reduced-mantissa tensor format);
 * - fp16: FP16/BF16 on tensor (matrix) units, dense;
 * - int8: INT8 on tensor units, dense.
 * A precision the card does not support, or whose vendor publishes nothing, is 0.
 * `estimated: true` marks entries where at least one figure is our estimate from press reports
 * (`note` says which), typically domestic parts without a public datasheet.
 */
import type { AcceleratorLine, ComputeCapacity } from './types.ts';

export interface AcceleratorSpec {
  model: string; // canonical name, as stored in AcceleratorLine.model
  vendor: string;
  domestic: boolean; // designed by a company in mainland China (国产)
  memoryGb: number;
  peak: ComputeCapacity;
  estimated: boolean;
  aliases: readonly string[];
  note?: string;
}

type Row = [model: string, vendor: string, domestic: boolean, memoryGb: number, fp64: number, fp32: number, fp16: number, int8: number, estimated: boolean, aliases: string[], note?: string];

// prettier-ignore
const ROWS: readonly Row[] = [
  ['H200', 'NVIDIA', false, 141, 67, 67, 989, 1979, false, ['H200 SXM', 'H200 141GB']],
  ['H100 SXM', 'NVIDIA', false, 80, 67, 67, 989, 1979, false, ['H100', 'H100 SXM5', 'H100 80GB']],
  ['H800', 'NVIDIA', false, 80, 1, 67, 989, 1979, false, ['H800 SXM', 'H800 80GB'], 'export variant of H100 SXM: FP64 and NVLink cut'],
  ['H20', 'NVIDIA', false, 96, 1, 44, 148, 296, true, ['H20 96GB'], 'no public datasheet; figures from press reports, fp64 estimated'],
  ['A100 80GB', 'NVIDIA', false, 80, 19.5, 19.5, 312, 624, false, ['A100', 'A100 SXM', 'A100 40GB', 'A100 SXM4']],
  ['A800', 'NVIDIA', false, 80, 19.5, 19.5, 312, 624, false, ['A800 80GB', 'A800 SXM'], 'export variant of A100: NVLink cut to 400 GB/s'],
  ['B200', 'NVIDIA', false, 180, 40, 80, 2250, 4500, true, ['HGX B200', 'B200 SXM'], 'HGX B200 figures; datasheet revisions differ'],
  ['L40S', 'NVIDIA', false, 48, 1.4, 91.6, 362, 733, true, [], 'fp64 not published: estimated at 1/64 of fp32'],
  ['L20', 'NVIDIA', false, 48, 0.9, 59.8, 119.5, 239, true, ['L20 48GB'], 'no public datasheet; fp64 estimated'],
  ['L4', 'NVIDIA', false, 24, 0.5, 30.3, 121, 242.5, true, [], 'fp64 not published: estimated'],
  ['A10', 'NVIDIA', false, 24, 1, 31.2, 125, 250, true, ['A10 24GB'], 'fp64 not published: estimated'],
  ['T4', 'NVIDIA', false, 16, 0.25, 8.1, 65, 130, true, ['Tesla T4'], 'fp64 not published: estimated'],
  ['V100', 'NVIDIA', false, 32, 7.8, 15.7, 125, 62.8, true, ['V100 SXM2', 'V100 32GB', 'Tesla V100'], 'no INT8 tensor cores: int8 is the DP4A rate (4 × fp32)'],
  ['RTX 4090', 'NVIDIA', false, 24, 1.29, 82.6, 165.2, 660.6, false, ['4090', 'GeForce RTX 4090'], 'fp16 with FP32 accumulate, the training-relevant rate'],
  ['Instinct MI300X', 'AMD', false, 192, 163.4, 163.4, 1307.4, 2614.9, false, ['MI300X']],
  ['Ascend 910B', 'Huawei', true, 64, 0, 80, 320, 640, true, ['910B', '昇腾910B', 'Atlas 800T A2'], 'fp16/int8 as widely quoted for the 910B family (variants 280–376); fp32 estimated'],
  ['Ascend 910C', 'Huawei', true, 128, 0, 160, 780, 1560, true, ['910C', '昇腾910C', 'Atlas 900 A3'], 'no datasheet; press estimates'],
  ['Ascend 310P', 'Huawei', true, 24, 0, 0, 70, 140, false, ['310P', '昇腾310P', 'Atlas 300I Pro'], 'inference card (Atlas 300I Pro)'],
  ['DCU K100', 'Hygon', true, 64, 24.5, 49, 196, 392, true, ['K100', 'K100 AI', '深算二号'], 'no public datasheet; estimated'],
  ['DCU Z100', 'Hygon', true, 32, 10.1, 20.2, 40.4, 80.8, true, ['Z100', '深算一号'], 'no public datasheet; estimated'],
  ['MLU370-X8', 'Cambricon', true, 48, 0, 24, 96, 256, false, ['MLU370', '思元370', 'MLU370 X8']],
  ['MLU590', 'Cambricon', true, 80, 0, 80, 314, 628, true, ['思元590'], 'no public datasheet; press estimates'],
  ['P800', 'Kunlunxin', true, 96, 0, 86, 345, 690, true, ['昆仑芯P800', 'Kunlun P800'], 'no public datasheet; press estimates'],
  ['R300', 'Kunlunxin', true, 32, 0, 32, 128, 256, true, ['昆仑芯R300', 'Kunlun R300'], 'figures of the second-generation Kunlun chip'],
  ['BI-V150', 'Iluvatar CoreX', true, 64, 0, 37, 192, 384, true, ['BIV150', '天垓150', 'BI V150'], 'no public datasheet; estimated'],
  ['MTT S4000', 'Moore Threads', true, 48, 0, 25, 100, 200, false, ['S4000', '摩尔线程S4000']],
  ['C500', 'MetaX', true, 64, 15, 36, 280, 560, true, ['曦云C500', 'MXC500'], 'fp64 estimated'],
  ['S60', 'Enflame', true, 48, 0, 16, 145, 290, true, ['燧原S60', 'Enflame S60'], 'inference card; no public datasheet; estimated'],
];

export const ACCELERATOR_CATALOGUE: readonly AcceleratorSpec[] = ROWS.map(
  ([model, vendor, domestic, memoryGb, fp64, fp32, fp16, int8, estimated, aliases, note]) => ({
    model,
    vendor,
    domestic,
    memoryGb,
    peak: { fp64, fp32, fp16, int8 },
    estimated,
    aliases,
    ...(note ? { note } : {}),
  }),
);

// Words people put before a model name; stripping them lets "nvidia h200" and "昇腾 910B" match.
const VENDOR_WORDS = [
  'nvidia', '英伟达', 'geforce', 'tesla', 'amd', 'instinct', 'huawei', '华为', 'ascend', '昇腾',
  'hygon', '海光', 'dcu', 'cambricon', '寒武纪', 'kunlunxin', 'kunlun', '昆仑芯', 'iluvatar', 'corex',
  '天数智芯', 'moorethreads', '摩尔线程', 'mtt', 'metax', '沐曦', 'enflame', '燧原',
];

function normalise(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[\s\-_·•/()（）]+/gu, '');
}

function stripVendor(key: string): string {
  let stripped = key;
  for (let changed = true; changed; ) {
    changed = false;
    for (const word of VENDOR_WORDS) {
      if (stripped.startsWith(word) && stripped.length > word.length) {
        stripped = stripped.slice(word.length);
        changed = true;
      }
    }
  }
  return stripped;
}

let lookup: Map<string, AcceleratorSpec> | undefined;
function lookupTable(): Map<string, AcceleratorSpec> {
  if (lookup) return lookup;
  const table = new Map<string, AcceleratorSpec>();
  for (const spec of ACCELERATOR_CATALOGUE) {
    for (const name of [spec.model, `${spec.vendor} ${spec.model}`, ...spec.aliases]) {
      const key = normalise(name);
      // First entry wins, so an alias can never shadow another card's canonical name.
      if (!table.has(key)) table.set(key, spec);
      if (!table.has(stripVendor(key))) table.set(stripVendor(key), spec);
    }
  }
  lookup = table;
  return table;
}

/** The catalogue entry for a model name, ignoring case, spaces, hyphens and vendor words. */
export function findAccelerator(model: string): AcceleratorSpec | undefined {
  const key = normalise(model);
  const table = lookupTable();
  return table.get(key) ?? table.get(stripVendor(key));
}

export interface AcceleratorCount {
  model: string;
  count: number;
}

export function zeroCompute(): ComputeCapacity {
  return { fp64: 0, fp32: 0, fp16: 0, int8: 0 };
}

/**
 * Sums count × datasheet peak per precision. Models not in the catalogue add nothing and are
 * returned in `unknown` (each once), so the caller can ask the supplier for figures.
 */
export function computeFromAccelerators(lines: readonly AcceleratorCount[]): { compute: ComputeCapacity; unknown: string[] } {
  const compute = zeroCompute();
  const unknown: string[] = [];
  for (const line of lines) {
    const spec = findAccelerator(line.model);
    if (!spec) {
      if (!unknown.includes(line.model)) unknown.push(line.model);
      continue;
    }
    compute.fp64 += spec.peak.fp64 * line.count;
    compute.fp32 += spec.peak.fp32 * line.count;
    compute.fp16 += spec.peak.fp16 * line.count;
    compute.int8 += spec.peak.int8 * line.count;
  }
  return { compute, unknown };
}

/** Conversion factors to FP32-equivalent TFLOPS, per precision (see fp32Equivalent). */
export const FP32_EQUIVALENT_FACTORS: Readonly<ComputeCapacity> = { fp64: 2, fp32: 1, fp16: 0.5, int8: 0.25 };

/**
 * FP32-equivalent compute (TFLOPS), the one normalised figure used to compare and add up general,
 * supercomputing and intelligent compute.
 *
 * Rule: FP32-equivalent = max(fp64 × 2, fp32 × 1, fp16 × 0.5, int8 × 0.25).
 *
 * Each factor is the ratio of operand widths to FP32 (an FP64 operation does the work of two FP32
 * ones; FP16 of half; INT8 of a quarter). We take the maximum, not the sum, because the figures per
 * precision describe the same silicon: a card does its FP64 or its FP16, not both at once, so
 * adding them would count the hardware twice. The result is derived, never stored alone.
 */
export function fp32Equivalent(compute: Partial<ComputeCapacity>): number {
  return Math.max(
    (compute.fp64 ?? 0) * FP32_EQUIVALENT_FACTORS.fp64,
    (compute.fp32 ?? 0) * FP32_EQUIVALENT_FACTORS.fp32,
    (compute.fp16 ?? 0) * FP32_EQUIVALENT_FACTORS.fp16,
    (compute.int8 ?? 0) * FP32_EQUIVALENT_FACTORS.int8,
  );
}

const SPEC_SEPARATORS = /[,，;；、\n+]+/u;
// The count must be followed by a separator or a space, so "910B × 8" is not read as 910 × "B × 8".
const COUNT_FIRST = /^(\d+)\s*(?:[×xX*]|卡|张|块|\s)\s*(.+)$/u;
// "H200 × 512": the × needs a space or must be × or *, so "MLU370-X8" is not read as 8 × "MLU370-".
const COUNT_LAST = /^(.+?)(?:\s*[×*]\s*|\s+[xX]\s*)(\d+)\s*(?:卡|张|块)?$/u;

/**
 * Parses an inventory as people write it: "512 × H200, 256x Ascend 910B", "A100 × 8；16 MLU370-X8".
 * Items are separated by commas (either width), semicolons, 、 or new lines; a count without a
 * model, a zero count or a fragment without a count throws, naming the fragment. Known models come
 * back under their canonical name, unknown ones as written.
 */
export function parseAcceleratorSpec(spec: string): AcceleratorCount[] {
  const lines: AcceleratorCount[] = [];
  for (const raw of spec.split(SPEC_SEPARATORS)) {
    const fragment = raw.normalize('NFKC').trim();
    if (fragment === '') continue;
    const match = COUNT_FIRST.exec(fragment) ?? swap(COUNT_LAST.exec(fragment));
    const count = match ? Number(match[1]) : NaN;
    const model = match?.[2]?.trim() ?? '';
    if (!Number.isSafeInteger(count) || count <= 0 || model === '' || /^\d+$/.test(model)) {
      throw new Error(`cannot read accelerator count in "${fragment}": write it as "8 × H200" or "H200 × 8"`);
    }
    lines.push({ model: findAccelerator(model)?.model ?? model, count });
  }
  return lines;
}

function swap(match: RegExpExecArray | null): [string, string, string] | null {
  return match && match[1] !== undefined && match[2] !== undefined ? [match[0], match[2], match[1]] : null;
}

/** Inventory lines with vendor and domestic flag from the catalogue ("unknown" when not listed). */
export function toAcceleratorLines(counts: readonly AcceleratorCount[]): AcceleratorLine[] {
  return counts.map(({ model, count }) => {
    const spec = findAccelerator(model);
    return spec
      ? { model: spec.model, vendor: spec.vendor, count, domestic: spec.domestic }
      : { model, vendor: 'unknown', count, domestic: false };
  });
}

/** A standard rack (标准机架) is 2.5 kW of IT power. */
export const STANDARD_RACK_KW = 2.5;

/** Standard racks for an IT power in kW (a 10 kW rack is 4 standard racks). */
export function rackUnitsFromKw(kw: number): number {
  return kw / STANDARD_RACK_KW;
}
