/**
 * Checks a demand before matching, so an impossible requirement (an accelerator no catalogue knows,
 * an end before the start) is the caller's 4xx with a hint, not an empty result that looks like a
 * market with nothing in it.
 */
import { validationFailed } from '../errors.ts';
import type { FieldError } from '../errors.ts';
import { findAccelerator } from '../ledger/catalogue.ts';
import { PRECISIONS } from '../ledger/types.ts';
import { findRegion } from '../regions/dataset.ts';
import { regionPoint } from './latency.ts';
import type { Demand } from './types.ts';

const MS_PER_HOUR = 3_600_000;

/** Every problem with the demand at once (empty when it can be matched). */
export function demandProblems(demand: Demand): FieldError[] {
  const problems: FieldError[] = [];
  const add = (path: string, code: string, message: string) => problems.push({ path, code, message });

  if (!Number.isSafeInteger(demand.count) || demand.count <= 0) add('/count', 'INVALID_QUANTITY', 'count must be a whole number above 0');
  if ('acceleratorModel' in demand.hard) {
    if (!findAccelerator(demand.hard.acceleratorModel)) {
      add('/hard/acceleratorModel', 'UNKNOWN_ACCELERATOR', `no catalogue entry for "${demand.hard.acceleratorModel}": use a catalogue model (e.g. H200, Ascend 910B) or ask by minTflops and precision`);
    }
  } else {
    if (!(demand.hard.minTflops > 0)) add('/hard/minTflops', 'INVALID_TFLOPS', 'minTflops must be above 0');
    if (!PRECISIONS.includes(demand.hard.precision)) add('/hard/precision', 'INVALID_PRECISION', `precision must be one of ${PRECISIONS.join(', ')}`);
  }
  if (demand.memoryGb !== undefined && !(demand.memoryGb > 0)) add('/memoryGb', 'INVALID_MEMORY', 'memoryGb must be above 0');

  const start = Date.parse(demand.start);
  if (Number.isNaN(start)) add('/start', 'INVALID_TIME', 'start must be an ISO 8601 time');
  if (demand.end !== undefined) {
    const end = Date.parse(demand.end);
    if (Number.isNaN(end)) add('/end', 'INVALID_TIME', 'end must be an ISO 8601 time');
    else if (!(end > start)) add('/end', 'END_BEFORE_START', 'end must be after start');
  } else if (demand.durationHours === undefined) {
    add('/end', 'MISSING_END', 'give end or durationHours');
  } else if (!(demand.durationHours > 0)) {
    add('/durationHours', 'INVALID_DURATION', 'durationHours must be above 0');
  }

  for (const [i, code] of (demand.regionsAllowed ?? []).entries()) {
    if (!findRegion(code)) add(`/regionsAllowed/${i}`, 'UNKNOWN_REGION', `unknown region code ${code}: use a GB/T 2260 code such as 140000 (山西) or 140200 (大同)`);
  }
  if (demand.dataResidency !== undefined && findRegion(demand.dataResidency)?.level !== 'province') {
    add('/dataResidency', 'UNKNOWN_REGION', `dataResidency must be a province code such as 140000 (山西), not ${demand.dataResidency}`);
  }
  if (demand.latency) {
    if (!(demand.latency.maxMs > 0)) add('/latency/maxMs', 'INVALID_LATENCY', 'latency.maxMs must be above 0');
    if (!regionPoint(demand.latency.fromRegionCode)) add('/latency/fromRegionCode', 'UNKNOWN_REGION', `no location known for region ${demand.latency.fromRegionCode}: use a city code such as 140200 (大同)`);
  }
  if (demand.maxPricePerUnit !== undefined && !(demand.maxPricePerUnit >= 0)) add('/maxPricePerUnit', 'INVALID_PRICE', 'maxPricePerUnit must be 0 or more');
  for (const [name, weight] of Object.entries(demand.weights)) {
    if (!(Number.isFinite(weight) && weight >= 0)) add(`/weights/${name}`, 'INVALID_WEIGHT', `weight ${name} must be a finite number ≥ 0`);
  }
  return problems;
}

export function assertValidDemand(demand: Demand): void {
  const problems = demandProblems(demand);
  if (problems.length > 0) throw validationFailed(`Demand ${demand.id} cannot be matched.`, problems);
}

/** The demand's interval in epoch ms and its length in hours. */
export function demandInterval(demand: Demand): { startMs: number; endMs: number; hours: number } {
  const startMs = Date.parse(demand.start);
  const endMs = demand.end !== undefined ? Date.parse(demand.end) : startMs + (demand.durationHours ?? 0) * MS_PER_HOUR;
  return { startMs, endMs, hours: (endMs - startMs) / MS_PER_HOUR };
}
