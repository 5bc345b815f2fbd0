import type { Deps } from '../../deps.ts';
import { VERSION } from '../../version.ts';
import { backoffMs, classifyAnswer, signBody, WEBHOOK_BACKOFF_BASE_MS, WEBHOOK_BACKOFF_CAP_MS, WEBHOOK_MAX_ATTEMPTS, WEBHOOK_TIMEOUT_MS } from './rules.ts';
import { type AlertDeliveryRow, alertStore } from './store.ts';

export interface DeliveryOptions {
  timeoutMs?: number;
  maxAttempts?: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** Deliveries sent at once. */
  batch?: number;
}

export interface DeliveryResult {
  attempted: number;
  delivered: number;
  /** Failed this time, to be tried again later. */
  retrying: number;
  /** Given up: refused by the receiver, or out of attempts. */
  failed: number;
}

/** Sends one notification; the HTTP status, or null with the reason when no answer came. */
async function post(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<{ status: number | null; error: string | null }> {
  try {
    const response = await fetch(url, { method: 'POST', body, headers, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel().catch(() => {});
    return { status: response.status, error: response.status >= 200 && response.status < 300 ? null : `HTTP ${response.status}` };
  } catch (error) {
    const e = error as Error & { cause?: { code?: string; message?: string } };
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return { status: null, error: `no answer within ${timeoutMs / 1000} s` };
    return { status: null, error: (e.cause?.code ?? e.cause?.message ?? e.message ?? 'request failed').slice(0, 300) };
  }
}

/**
 * Sends the webhook notifications that are due: JSON POST with a timeout, signed with the rule's
 * secret. 2xx delivers; no answer, 408, 429 and 5xx are retried with exponential back-off (the next
 * attempt's time is stored, so a restart loses nothing); other answers, and the last attempt, give up
 * (status failed, with the last error). The notifications of one alert go out in order.
 */
export async function deliverAlertWebhooks(deps: Deps, options: DeliveryOptions = {}): Promise<DeliveryResult> {
  const timeoutMs = options.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  const maxAttempts = options.maxAttempts ?? WEBHOOK_MAX_ATTEMPTS;
  const result: DeliveryResult = { attempted: 0, delivered: 0, retrying: 0, failed: 0 };
  const store = alertStore(deps.db);
  // A few rounds: a resolved notification becomes due once the firing one of its alert is delivered.
  for (let round = 0; round < 10; round++) {
    const now = deps.clock.now().getTime();
    const claimed = await store.claimDeliveries(now, now + timeoutMs + 60_000, options.batch ?? 20);
    if (!claimed.length) break;
    const secrets = await store.ruleSecrets([...new Set(claimed.map((d) => d.ruleId))]);
    await Promise.all(claimed.map((delivery) => attempt(deps, delivery, secrets.get(delivery.ruleId) ?? '', { timeoutMs, maxAttempts, options, result })));
  }
  return result;
}

async function attempt(
  deps: Deps,
  delivery: AlertDeliveryRow,
  secret: string,
  context: { timeoutMs: number; maxAttempts: number; options: DeliveryOptions; result: DeliveryResult },
) {
  const body = JSON.stringify(delivery.payload);
  const headers = {
    'content-type': 'application/json',
    'user-agent': `Suanli-Alerts/${VERSION}`,
    'x-suanli-event': delivery.event,
    'x-suanli-delivery': String(delivery.id),
    'x-suanli-signature': signBody(secret, body),
  };
  context.result.attempted += 1;
  const answer = await post(delivery.url, body, headers, context.timeoutMs);
  const attempts = delivery.attempts + 1;
  const outcome = classifyAnswer(answer.status);
  const now = deps.clock.now();
  const store = alertStore(deps.db);
  const common = { attempts, lastStatusCode: answer.status, lastError: answer.error };
  if (outcome === 'delivered') {
    await store.finishDelivery(delivery.id, { ...common, status: 'delivered', deliveredAt: now, nextAttemptAt: now });
    context.result.delivered += 1;
  } else if (outcome === 'failed' || attempts >= context.maxAttempts) {
    await store.finishDelivery(delivery.id, { ...common, status: 'failed', nextAttemptAt: now });
    context.result.failed += 1;
    deps.log.warn({ delivery: delivery.id, url: delivery.url, attempts, error: answer.error }, 'alert webhook given up');
  } else {
    const wait = backoffMs(attempts, context.options.backoffBaseMs ?? WEBHOOK_BACKOFF_BASE_MS, context.options.backoffCapMs ?? WEBHOOK_BACKOFF_CAP_MS);
    await store.finishDelivery(delivery.id, { ...common, status: 'pending', nextAttemptAt: new Date(now.getTime() + wait) });
    context.result.retrying += 1;
  }
}
