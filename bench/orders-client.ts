// The load generator of bench/orders.ts, in its own process so it does not share the server's event
// loop: sends N order requests at once (one connection each) and prints statuses and latencies as JSON.
// Usage: node bench/orders-client.ts URL TOKEN OFFER_ID N START END
const [url, token, offerId, count, start, end] = process.argv.slice(2);
const n = Number(count);
const body = JSON.stringify({ offerId, quantity: 1, start, end });
const started = performance.now();
const results = await Promise.all(
  Array.from({ length: n }, async (_, i) => {
    const t = performance.now();
    try {
      const response = await fetch(`${url}/api/v1/orders`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': `bench-${process.pid}-${i}` },
        body,
      });
      const payload = (await response.json()) as { code?: string };
      return { status: response.status, code: payload.code ?? null, ms: performance.now() - t };
    } catch (error) {
      return { status: 0, code: (error as Error).message, ms: performance.now() - t };
    }
  }),
);
process.stdout.write(JSON.stringify({ wallMs: performance.now() - started, results }));
