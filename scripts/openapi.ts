// Writes the OpenAPI document to docs/openapi.json (committed; the tests fail when it drifts).
import { writeFileSync } from 'node:fs';
import pino from 'pino';
import { buildApp } from '../src/app.ts';
import { systemClock } from '../src/clock.ts';
import { loadConfig } from '../src/config.ts';
import type { Database } from '../src/db/client.ts';

const unused = () => {
  throw new Error('the OpenAPI build touches no database');
};
const database = { db: new Proxy({}, { get: unused }), kind: 'pglite', exec: unused, query: unused, close: async () => {} } as unknown as Database;
const app = await buildApp({ database, db: database.db, clock: systemClock, config: loadConfig({}), log: pino({ level: 'silent' }) });
await app.ready();
const response = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
writeFileSync(new URL('../docs/openapi.json', import.meta.url), JSON.stringify(response.json(), null, 2) + '\n');
await app.close();
console.log(`docs/openapi.json: ${Object.keys(response.json().paths).length} paths`);
