import { describe, expect, it } from 'vitest';
import { gpuReadings, parseNvidiaSmi } from './gpu.ts';

// Recorded `nvidia-smi --query-gpu=index,name,utilization.gpu,memory.used,memory.total,power.draw,temperature.gpu --format=csv,noheader,nounits`
// on a host with four GPUs; GPU 2 has fallen off the bus, GPU 3 reports no power reading.
const OUTPUT = `0, NVIDIA A100-SXM4-80GB, 87, 61440, 81920, 312.45, 64
1, NVIDIA A100-SXM4-80GB, 0, 4, 81920, 61.20, 33
2, NVIDIA A100-SXM4-80GB, [N/A], [N/A], [N/A], [N/A], [N/A]
3, NVIDIA A100-SXM4-80GB, 12, 1024, 81920, [N/A], 41
`;

describe('nvidia-smi parser', () => {
  it('reads several GPUs and turns "[N/A]" into missing values', () => {
    const rows = parseNvidiaSmi(OUTPUT);
    expect(rows).toHaveLength(4);
    expect(rows[0]).toEqual({ index: '0', model: 'NVIDIA A100-SXM4-80GB', utilizationPct: 87, memoryUsedMiB: 61440, memoryTotalMiB: 81920, powerWatts: 312.45, temperatureC: 64 });
    expect(rows[2]).toMatchObject({ index: '2', utilizationPct: null, powerWatts: null, temperatureC: null });
    expect(rows[3]).toMatchObject({ utilizationPct: 12, powerWatts: null });
  });

  it('ignores blank and truncated lines', () => {
    expect(parseNvidiaSmi('\n0, Tesla T4, 5\n\n')).toEqual([]);
  });

  it('reports utilisation per GPU as 0–1 with gpu and model labels, and healthy / total counts', () => {
    const readings = gpuReadings(parseNvidiaSmi(OUTPUT));
    expect(readings.find((r) => r.metric === 'accelerators_total')?.value).toBe(4);
    expect(readings.find((r) => r.metric === 'accelerators_healthy')?.value).toBe(3);
    const utilization = readings.filter((r) => r.metric === 'accelerator_utilization');
    expect(utilization).toEqual([
      { metric: 'accelerator_utilization', labels: { gpu: '0', model: 'NVIDIA A100-SXM4-80GB' }, value: 0.87 },
      { metric: 'accelerator_utilization', labels: { gpu: '1', model: 'NVIDIA A100-SXM4-80GB' }, value: 0 },
      { metric: 'accelerator_utilization', labels: { gpu: '3', model: 'NVIDIA A100-SXM4-80GB' }, value: 0.12 },
    ]);
    expect(readings.filter((r) => r.metric === 'accelerator_power_watts').map((r) => r.value)).toEqual([312.45, 61.2]);
    expect(readings.find((r) => r.metric === 'accelerator_memory_total_bytes')?.value).toBe(81920 * 1024 * 1024);
  });
});
