import { mkdtempSync, readdirSync, rmSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBuffer } from './buffer.ts';
import type { AgentSample } from './sample.ts';

/** The batch numbers in a request, in order (batches may be merged into one request). */
const valuesOf = (samples: AgentSample[]) => [...new Set(samples.map((s) => s.value))];
const batch = (n: number, size = 1): AgentSample[] => Array.from({ length: size }, (_, i) => ({ metric: 'node_load1', labels: { instance: 'h' }, ts: n * 1000 + i, value: n }));

describe('agent buffer', () => {
  const dirs: string[] = [];
  const freshDir = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'suanli-agent-buffer-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('flushes oldest first and removes what was sent', async () => {
    const buffer = createBuffer({ dir: freshDir(), maxBytes: 1024 * 1024, warn: () => {} });
    for (let n = 1; n <= 3; n++) await buffer.append(batch(n));
    expect(await buffer.pending()).toBe(3);
    const seen: number[] = [];
    const result = await buffer.flush(async (b) => {
      seen.push(...valuesOf(b));
      return 'sent';
    });
    expect(seen).toEqual([1, 2, 3]);
    expect(result).toEqual({ sent: 3, dropped: 0, complete: true });
    expect(await buffer.pending()).toBe(0);
  });

  it('keeps the batch that must be retried and everything after it', async () => {
    const buffer = createBuffer({ dir: freshDir(), maxBytes: 1024 * 1024, warn: () => {} });
    for (let n = 1; n <= 4; n++) await buffer.append(batch(n));
    const result = await buffer.flush(async (b) => (b[0].value === 1 ? 'sent' : b[0].value === 2 ? 'dropped' : 'retry'), 1);
    expect(result).toEqual({ sent: 1, dropped: 1, complete: false });
    const rest: number[] = [];
    await buffer.flush(async (b) => {
      rest.push(...valuesOf(b));
      return 'sent';
    });
    expect(rest).toEqual([3, 4]);
  });

  it('survives a line torn by a crash', async () => {
    const dir = freshDir();
    const buffer = createBuffer({ dir, maxBytes: 1024 * 1024, warn: () => {} });
    await buffer.append(batch(1));
    const [segment] = readdirSync(dir);
    appendFileSync(path.join(dir, segment), '[{"metric":"node_lo');
    const warnings: string[] = [];
    const again = createBuffer({ dir, maxBytes: 1024 * 1024, warn: (m) => warnings.push(m) });
    await again.append(batch(2));
    const seen: number[] = [];
    await again.flush(async (b) => {
      seen.push(...valuesOf(b));
      return 'sent';
    });
    // Only the torn line is lost: the batch appended after the crash starts on a line of its own.
    expect(seen).toEqual([1, 2]);
    expect(warnings.some((w) => w.includes('unreadable'))).toBe(true);
  });

  it('merges consecutive batches into requests of at most maxSamples', async () => {
    const buffer = createBuffer({ dir: freshDir(), maxBytes: 1024 * 1024, warn: () => {} });
    for (let n = 1; n <= 5; n++) await buffer.append(batch(n, 2));
    const requests: number[][] = [];
    const result = await buffer.flush(async (samples) => {
      requests.push([...new Set(samples.map((s) => s.value))]);
      return 'sent';
    }, 5);
    expect(requests).toEqual([[1, 2], [3, 4], [5]]);
    expect(result).toEqual({ sent: 5, dropped: 0, complete: true });
  });

  it('sends a refused merged request again batch by batch, so one bad batch drops only itself', async () => {
    const buffer = createBuffer({ dir: freshDir(), maxBytes: 1024 * 1024, warn: () => {} });
    for (let n = 1; n <= 3; n++) await buffer.append(batch(n));
    const delivered: number[] = [];
    const result = await buffer.flush(async (samples) => {
      if (samples.some((s) => s.value === 2)) return 'dropped';
      delivered.push(...samples.map((s) => s.value));
      return 'sent';
    });
    expect(delivered).toEqual([1, 3]);
    expect(result).toEqual({ sent: 2, dropped: 1, complete: true });
  });

  it('stays under its bound by dropping the oldest segments with a warning', async () => {
    const dir = freshDir();
    const warnings: string[] = [];
    // ~4 KB segments, 16 KB in all; each batch is ~2.3 KB.
    const buffer = createBuffer({ dir, maxBytes: 16 * 1024, warn: (m) => warnings.push(m) });
    for (let n = 1; n <= 40; n++) await buffer.append(batch(n, 30));
    const seen: number[] = [];
    await buffer.flush(async (b) => {
      seen.push(...valuesOf(b));
      return 'sent';
    });
    expect(seen.length).toBeLessThan(40);
    expect(seen.at(-1)).toBe(40);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(warnings[0]).toMatch(/dropped the oldest/);
  });
});
