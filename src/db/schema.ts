/** The one pg-core schema: every capability's tables, for Drizzle and drizzle-kit. */
export * from '../identity/tables.ts';
export * from '../ledger/tables.ts';
export * from '../monitoring/tables.ts';
export * from '../monitoring/network/tables.ts';
export * from '../monitoring/alerts/tables.ts';
export * from '../market/tables.ts';
export * from '../audit/tables.ts';
