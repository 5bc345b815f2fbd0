import { appendFile, mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MAX_SAMPLES_PER_REQUEST } from './push.ts';
import type { AgentSample } from './sample.ts';

/** What the flush callback says about one batch: sent (remove it), dropped (can never succeed: remove it), retry (stop, keep it). */
export type SendOutcome = 'sent' | 'dropped' | 'retry';

export interface BufferOptions {
  dir: string;
  /** Bound on the files together; past it the oldest segment is dropped with a warning. */
  maxBytes: number;
  warn: (message: string) => void;
}

async function endsWithNewline(file: string, size: number): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const { buffer } = await handle.read(Buffer.alloc(1), 0, 1, size - 1);
    return buffer[0] === 0x0a;
  } finally {
    await handle.close();
  }
}

const SEGMENT = /^segment-(\d{12})\.jsonl$/;
const segmentName = (seq: number) => `segment-${String(seq).padStart(12, '0')}.jsonl`;

/**
 * Batches the platform has not taken yet, as append-only JSON-lines segment files (one batch a
 * line), oldest first by sequence number. Only one agent may use a directory at a time.
 */
export function createBuffer(options: BufferOptions) {
  const segmentBytes = Math.max(4096, Math.min(1024 * 1024, Math.floor(options.maxBytes / 8)));

  async function segments(): Promise<{ name: string; seq: number; bytes: number }[]> {
    await mkdir(options.dir, { recursive: true });
    const found = [];
    for (const name of await readdir(options.dir)) {
      const match = SEGMENT.exec(name);
      if (!match) continue;
      found.push({ name, seq: Number(match[1]), bytes: (await stat(path.join(options.dir, name))).size });
    }
    return found.sort((a, b) => a.seq - b.seq);
  }

  async function enforceBound() {
    const all = await segments();
    let total = all.reduce((sum, s) => sum + s.bytes, 0);
    // Keep the newest segment even when it alone is over the bound: it holds the latest batch.
    while (total > options.maxBytes && all.length > 1) {
      const oldest = all.shift()!;
      const batches = (await readFile(path.join(options.dir, oldest.name), 'utf8')).split('\n').filter((l) => l !== '').length;
      await rm(path.join(options.dir, oldest.name), { force: true });
      total -= oldest.bytes;
      options.warn(`agent buffer over ${options.maxBytes} bytes: dropped the oldest ${batches} batch(es) (${oldest.name}); the platform has been unreachable for long, raise --buffer-max-mb to keep more`);
    }
  }

  return {
    dir: options.dir,

    async append(batch: AgentSample[]): Promise<void> {
      if (batch.length === 0) return;
      const all = await segments();
      const last = all.at(-1);
      const name = last && last.bytes < segmentBytes ? last.name : segmentName((last?.seq ?? 0) + 1);
      const file = path.join(options.dir, name);
      // A crash during an earlier append can leave a torn last line: start on a fresh one.
      const torn = name === last?.name && last.bytes > 0 && !(await endsWithNewline(file, last.bytes));
      await appendFile(file, `${torn ? '\n' : ''}${JSON.stringify(batch)}\n`);
      await enforceBound();
    },

    /** Number of buffered batches (a torn line counts until the next flush skips it). */
    async pending(): Promise<number> {
      let count = 0;
      for (const segment of await segments()) count += (await readFile(path.join(options.dir, segment.name), 'utf8')).split('\n').filter((l) => l !== '').length;
      return count;
    },

    /**
     * Sends the buffered batches oldest first, consecutive ones merged into requests of at most
     * `maxSamples`, until one must be retried; what was sent or dropped leaves the buffer. Counts are in batches.
     */
    async flush(send: (samples: AgentSample[]) => Promise<SendOutcome>, maxSamples = MAX_SAMPLES_PER_REQUEST): Promise<{ sent: number; dropped: number; complete: boolean }> {
      let sent = 0;
      let dropped = 0;
      for (const segment of await segments()) {
        const file = path.join(options.dir, segment.name);
        const lines = (await readFile(file, 'utf8')).split('\n').filter((l) => l !== '');
        // Keep the unsent rest; a crash before this rename resends what was sent, which the platform de-duplicates.
        const keepFrom = async (index: number) => {
          const tmp = `${file}.tmp`;
          await writeFile(tmp, lines.slice(index).map((l) => `${l}\n`).join(''));
          await rename(tmp, file);
          return { sent, dropped, complete: false };
        };
        let next = 0;
        while (next < lines.length) {
          const group: { index: number; batch: AgentSample[] }[] = [];
          let samples = 0;
          for (; next < lines.length; next++) {
            let batch: AgentSample[];
            try {
              batch = JSON.parse(lines[next]) as AgentSample[];
            } catch {
              // A line torn by a crash during append: nothing in it can be trusted.
              options.warn(`agent buffer: skipped an unreadable line in ${segment.name}`);
              continue;
            }
            if (group.length > 0 && samples + batch.length > maxSamples) break;
            group.push({ index: next, batch });
            samples += batch.length;
          }
          if (group.length === 0) continue;
          const outcome = await send(group.flatMap((g) => g.batch));
          if (outcome === 'retry') return keepFrom(group[0].index);
          if (outcome === 'sent') {
            sent += group.length;
            continue;
          }
          if (group.length === 1) {
            dropped += 1;
            continue;
          }
          // One batch the platform can never take must not take the others with it: send them one by one.
          for (const { index, batch } of group) {
            const single = await send(batch);
            if (single === 'retry') return keepFrom(index);
            if (single === 'sent') sent += 1;
            else dropped += 1;
          }
        }
        await rm(file, { force: true });
      }
      return { sent, dropped, complete: true };
    },
  };
}

export type AgentBuffer = ReturnType<typeof createBuffer>;
