import type { AgentSample } from './sample.ts';

/** The JSON push route takes at most 20,000 samples a request; the agent sends smaller batches. */
export const MAX_SAMPLES_PER_REQUEST = 5000;

export type PushResult =
  | { kind: 'sent'; inserted: number }
  /** Try again later: connection failed, 5xx, 429. `retryAfterMs` when the platform said when. */
  | { kind: 'retry'; reason: string; retryAfterMs?: number }
  /** 4xx other than 401/429: this batch can never succeed. */
  | { kind: 'rejected'; reason: string }
  /** 401: the token is unknown or revoked; nothing the agent sends will be taken. */
  | { kind: 'unauthorized'; reason: string };

/** Retry-After as seconds or an HTTP date, in milliseconds from `nowMs`; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null, nowMs: number): number | undefined {
  if (!header) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** One POST of a batch to `{url}/api/v1/metrics`, classified for the agent's retry rules. */
export async function pushBatch(fetchFn: typeof fetch, url: string, token: string, batch: AgentSample[], nowMs: number, timeoutMs = 30_000): Promise<PushResult> {
  let response: Response;
  try {
    response = await fetchFn(new URL('/api/v1/metrics', url), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ samples: batch }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    // fetch wraps the socket error: its cause says what happened (ECONNREFUSED, ENOTFOUND, "bad port" …).
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { kind: 'retry', reason: `platform unreachable (${cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error))})` };
  }
  const text = await response.text().catch(() => '');
  if (response.ok) {
    let inserted = 0;
    try {
      inserted = (JSON.parse(text) as { inserted?: number }).inserted ?? 0;
    } catch {
      // A 2xx without the usual body still means committed.
    }
    return { kind: 'sent', inserted };
  }
  const detail = problemDetail(text);
  const reason = `HTTP ${response.status}${detail ? `: ${detail}` : ''}`;
  if (response.status === 401) return { kind: 'unauthorized', reason };
  if (response.status === 429 || response.status >= 500) return { kind: 'retry', reason, retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), nowMs) };
  return { kind: 'rejected', reason };
}

function problemDetail(text: string): string {
  try {
    const problem = JSON.parse(text) as { code?: string; detail?: string; message?: string };
    return [problem.code, problem.detail ?? problem.message].filter(Boolean).join(' ');
  } catch {
    return text.slice(0, 200);
  }
}

/** Exponential back-off with jitter: 1 s, 2 s, 4 s … capped at 5 min, each drawn from [½, 1] of the step. */
export function backoffMs(failures: number, random: () => number, baseMs = 1000, capMs = 5 * 60 * 1000): number {
  const step = Math.min(capMs, baseMs * 2 ** Math.max(0, failures - 1));
  return Math.round(step / 2 + (step / 2) * random());
}
