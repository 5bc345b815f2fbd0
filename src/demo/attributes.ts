/**
 * Per-facility figures for the demo: utilisation, PUE, green power, energy, storage, bandwidth.
 * Each rule encodes a reported tendency (DOMAIN.md): western AI centres stand half empty, hub
 * centres are built greener and cooler, the east fills its racks.
 */
import { STANDARD_RACK_KW } from '../ledger/catalogue.ts';
import type { Contact, FacilityKind, FacilityStatus } from '../ledger/types.ts';
import {
  COOL_PROVINCES,
  EASTERN_CLUSTER_CITIES,
  GREEN_PROVINCES,
  HOT_PROVINCES,
  METRO_CITIES,
  TEXT_POOLS,
  WESTERN_CLUSTER_CITIES,
} from './profile.ts';
import type { Random } from './random.ts';

export interface Place {
  provinceShort: string;
  cityShort: string;
  inHub: boolean; // in a national hub province
  inCluster: boolean; // in a national data-centre cluster
}

export interface FacilityTraits {
  kind: FacilityKind;
  status: FacilityStatus;
  place: Place;
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Rack utilisation (上架率) of a facility in operation. */
export function utilisation(random: Random, { kind, place }: FacilityTraits): number {
  let mean = 0.62;
  if (WESTERN_CLUSTER_CITIES.has(place.cityShort)) mean = kind === 'intelligent' ? 0.36 : 0.46;
  else if (EASTERN_CLUSTER_CITIES.has(place.cityShort)) mean = 0.7;
  else if (METRO_CITIES.has(place.cityShort)) mean = 0.8;
  else if (GREEN_PROVINCES.has(place.provinceShort)) mean = 0.52;
  if (kind === 'edge') mean = Math.min(0.85, mean + 0.1);
  if (kind === 'supercomputing') mean = 0.85;
  return clamp(random.normal(mean, 0.08), 0.15, 0.98);
}

/** Design PUE: climate first, then the stricter rules for hub and new builds. Always in [1.15, 1.6]. */
export function pueDesign(random: Random, { kind, status, place }: FacilityTraits): number {
  let pue = COOL_PROVINCES.has(place.provinceShort) ? random.float(1.2, 1.38) : HOT_PROVINCES.has(place.provinceShort) ? random.float(1.35, 1.58) : random.float(1.28, 1.52);
  if (place.inCluster) pue -= 0.08;
  else if (place.inHub) pue -= 0.04;
  if (status === 'planned' || status === 'under_construction') pue -= 0.06;
  if (status === 'decommissioned') pue += 0.08;
  if (kind === 'edge') pue += 0.1;
  if (kind === 'intelligent') pue -= 0.03; // liquid cooling is common in new AI halls
  return round(clamp(pue, 1.15, 1.6), 2);
}

/** Measured PUE runs a little above design: partial load and ageing plant. */
export function pueMeasured(random: Random, design: number, kind: FacilityKind): number {
  const drift = random.float(0.02, 0.1) + (kind === 'edge' ? 0.04 : 0);
  return round(Math.max(1, design + drift), 2);
}

/** Share of electricity from wind, solar and hydro, %. */
export function greenPowerPct(random: Random, { status, place }: FacilityTraits): number {
  let pct: number;
  if (GREEN_PROVINCES.has(place.provinceShort)) pct = random.normal(62, 14);
  else if (place.provinceShort === '山西' || place.provinceShort === '河北') pct = random.normal(36, 10);
  else pct = random.normal(22, 8);
  if (place.inCluster && (status === 'planned' || status === 'under_construction')) pct += 15;
  return round(clamp(pct, 3, 95), 1);
}

/** Average IT load as a share of the racks' nominal 2.5 kW (AI halls run hotter). */
export function loadFactor(random: Random, kind: FacilityKind): number {
  return kind === 'intelligent' ? random.float(0.55, 0.8) : random.float(0.42, 0.68);
}

/** Annual facility energy, kWh: racks in use × 2.5 kW × load × PUE × 8760 h. */
export function annualKwh(racksInUse: number, load: number, pue: number): number {
  return Math.round(racksInUse * STANDARD_RACK_KW * load * pue * 8760);
}

/**
 * Storage, PB, from racks: 0.05–0.2 PB per rack (est.). The national ≈ 1,680 EB also counts storage
 * outside registered facilities, so the demo's total stays well below it.
 */
export function storagePb(random: Random, kind: FacilityKind, racks: number): number {
  const perRack = kind === 'edge' ? random.float(0.01, 0.04) : kind === 'intelligent' ? random.float(0.05, 0.15) : random.float(0.08, 0.2);
  return round(racks * perRack, 1);
}

export function advancedStoragePct(random: Random, kind: FacilityKind): number {
  return round(clamp(random.normal(kind === 'intelligent' ? 40 : 28, 8), 5, 80), 1);
}

/** Egress bandwidth, Gbps, in steps of 10. */
export function egressGbps(random: Random, kind: FacilityKind, racks: number): number {
  const perRack = kind === 'intelligent' ? random.float(0.1, 0.3) : kind === 'edge' ? random.float(0.3, 1) : random.float(0.05, 0.15);
  return Math.max(10, Math.round((racks * perRack) / 10) * 10);
}

/** A duty contact; addresses use the reserved example.com domain and no phone numbers are invented. */
export function contact(random: Random, ownerKey: string, serial: number): Contact {
  const name = random.pick(TEXT_POOLS.SURNAMES) + random.pick(TEXT_POOLS.GIVEN_NAMES);
  return { name, email: `noc-${String(serial).padStart(4, '0')}@${ownerKey}.example.com` };
}

export function streetAddress(random: Random, placePath: string): string {
  return `${placePath}${random.pick(TEXT_POOLS.ROAD_NAMES)}${random.int(1, 399)}号`;
}
