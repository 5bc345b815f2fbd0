import type { Reading } from './sample.ts';

export const NVIDIA_SMI_ARGS = ['--query-gpu=index,name,utilization.gpu,memory.used,memory.total,power.draw,temperature.gpu', '--format=csv,noheader,nounits'];

export interface GpuRow {
  index: string;
  model: string;
  /** Percent, null when nvidia-smi answers "[N/A]" or an error marker. */
  utilizationPct: number | null;
  memoryUsedMiB: number | null;
  memoryTotalMiB: number | null;
  powerWatts: number | null;
  temperatureC: number | null;
}

/** A field of nvidia-smi's CSV: a number, or null for "[N/A]", "[Not Supported]", "ERR!", "[GPU requires reset]". */
function numberOrNull(field: string | undefined): number | null {
  if (field === undefined) return null;
  const text = field.trim();
  if (text === '' || !/^-?\d+(\.\d+)?$/.test(text)) return null;
  return Number(text);
}

/** Parses `nvidia-smi --query-gpu=… --format=csv,noheader,nounits` (NVIDIA_SMI_ARGS), one GPU per line. */
export function parseNvidiaSmi(stdout: string): GpuRow[] {
  const rows: GpuRow[] = [];
  for (const line of stdout.split('\n')) {
    if (line.trim() === '') continue;
    // Model names contain no commas in practice; split on the comma separators nvidia-smi writes.
    const fields = line.split(',').map((f) => f.trim());
    if (fields.length < 7) continue;
    const [index, model, utilization, memoryUsed, memoryTotal, power, temperature] = fields;
    rows.push({
      index,
      model,
      utilizationPct: numberOrNull(utilization),
      memoryUsedMiB: numberOrNull(memoryUsed),
      memoryTotalMiB: numberOrNull(memoryTotal),
      powerWatts: numberOrNull(power),
      temperatureC: numberOrNull(temperature),
    });
  }
  return rows;
}

/** Vocabulary and raw readings of the GPUs; a GPU is healthy when it reports its utilisation. */
export function gpuReadings(rows: GpuRow[]): Reading[] {
  const readings: Reading[] = [
    { metric: 'accelerators_total', value: rows.length },
    { metric: 'accelerators_healthy', value: rows.filter((r) => r.utilizationPct !== null).length },
  ];
  const MiB = 1024 * 1024;
  for (const row of rows) {
    const labels = { gpu: row.index, model: row.model };
    if (row.utilizationPct !== null) readings.push({ metric: 'accelerator_utilization', labels, value: row.utilizationPct / 100 });
    if (row.powerWatts !== null) readings.push({ metric: 'accelerator_power_watts', labels, value: row.powerWatts });
    if (row.memoryUsedMiB !== null) readings.push({ metric: 'accelerator_memory_used_bytes', labels, value: row.memoryUsedMiB * MiB });
    if (row.memoryTotalMiB !== null) readings.push({ metric: 'accelerator_memory_total_bytes', labels, value: row.memoryTotalMiB * MiB });
    if (row.temperatureC !== null) readings.push({ metric: 'accelerator_temperature_celsius', labels, value: row.temperatureC });
  }
  return readings;
}
