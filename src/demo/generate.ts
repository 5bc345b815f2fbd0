/**
 * The seeded national demo dataset: about 2,400 facilities across all 31 provinces whose totals
 * match the published figures (DOMAIN.md): ≈ 1,085万 racks nationally, ≈ 101.2万 in Shanxi, and
 * 大同's 32.6万+ racks at 90% utilisation, 2.5万 P under construction and 43亿 kWh a year.
 * Same seed, same dataset, on any machine.
 */
import { computeFromAccelerators } from '../ledger/catalogue.ts';
import type { AcceleratorLine, ComputeCapacity, FacilityInput } from '../ledger/types.ts';
import { describePath } from '../regions/dataset.ts';
import {
  advancedStoragePct,
  annualKwh,
  clamp,
  contact,
  egressGbps,
  greenPowerPct,
  loadFactor,
  pueDesign,
  pueMeasured,
  round,
  storagePb,
  streetAddress,
  utilisation,
} from './attributes.ts';
import { generateEdgeInventory, generateInventory, scaleInventory } from './inventory.ts';
import type { Generation } from './inventory.ts';
import { datongName, facilityName, NameRegistry } from './names.ts';
import { demoOrganizations, findOperator, operatorsFor } from './organizations.ts';
import type { DemoOrg } from './organizations.ts';
import { planFacilities, planScale } from './plan.ts';
import type { Draft } from './plan.ts';
import { DATONG, GREEN_PROVINCES, WESTERN_CLUSTER_CITIES } from './profile.ts';
import { createRandom } from './random.ts';
import type { Random } from './random.ts';

export type { DemoOrg } from './organizations.ts';

export type DemoFacility = FacilityInput & { ownerKey: string };

export interface DemoDataset {
  organizations: DemoOrg[];
  facilities: DemoFacility[];
}

export interface DemoDatasetOptions {
  seed?: number;
  facilities?: number;
}

/** Host CPUs of an 8-card server, TFLOPS: declared besides the cards, which the ledger adds itself. */
const HOST_FP64_PER_SERVER = 5;

function zero(): ComputeCapacity {
  return { fp64: 0, fp32: 0, fp16: 0, int8: 0 };
}

function roundCompute(compute: ComputeCapacity): ComputeCapacity {
  return { fp64: round(compute.fp64, 1), fp32: round(compute.fp32, 1), fp16: round(compute.fp16, 1), int8: round(compute.int8, 1) };
}

/** CPU compute of general-purpose racks: 20–50 TFLOPS FP32 per rack in use (older halls less). */
function cpuCompute(random: Random, racks: number): ComputeCapacity {
  const fp32 = racks * random.float(20, 50);
  return roundCompute({ fp64: fp32 / 2, fp32, fp16: 0, int8: 0 });
}

function generationOf(random: Random, draft: Draft): Generation {
  if (draft.datong && draft.status === 'under_construction') return 'frontier';
  if (draft.status === 'planned' || draft.status === 'under_construction') return 'new';
  if (WESTERN_CLUSTER_CITIES.has(draft.place.cityShort) || draft.datong) return random.chance(0.5) ? 'new' : 'current';
  return random.chance(0.3) ? 'old' : 'current';
}

function pickOwner(random: Random, draft: Draft): string {
  if (draft.ownerKey) return draft.ownerKey;
  const kind = draft.kind === 'supercomputing' ? 'general' : draft.kind;
  const candidates = operatorsFor(kind, draft.place.provinceShort, draft.place.cityShort);
  return random.weighted(candidates, (c) => c.weight).operator.key;
}

/** County name fit for a facility name: development zones become 经开区 / 高新区. */
function countyLabel(draft: Draft): string | null {
  const county = draft.county;
  if (!county) return null;
  if (county.shortName !== county.name || !/(?:开发区|园区)$/u.test(county.name)) return county.shortName;
  return county.name.includes('高新') ? '高新区' : '经开区';
}

interface Built {
  facility: DemoFacility;
  load: number; // kept to re-derive energy when 大同 is tuned
}

function buildFacility(random: Random, draft: Draft, names: NameRegistry, serial: number): Built {
  const ownerKey = pickOwner(random, draft);
  const traits = { kind: draft.kind, status: draft.status, place: draft.place };
  const operating = draft.status === 'in_operation';
  const racksInUse = operating ? Math.min(draft.racksDesigned, Math.round(draft.racksDesigned * utilisation(random, traits))) : 0;
  // Planned and building facilities describe what is being built; retired ones hold nothing.
  const capacityRacks = operating ? racksInUse : draft.status === 'decommissioned' ? 0 : draft.racksDesigned;

  let accelerators: AcceleratorLine[] = [];
  let compute = zero();
  if (draft.kind === 'intelligent' && capacityRacks > 0) {
    const domesticBoost = (GREEN_PROVINCES.has(draft.place.provinceShort) ? 0.1 : 0) + (ownerKey === 'datong-supplier' ? 0.1 : 0);
    // About two cards per standard rack in use (an 8-card server draws ≈ 4 standard racks' worth of
    // power and not every rack holds accelerators); projects not yet running have bought part of theirs.
    const cardsPerRack = operating ? random.float(1.5, 2.7) : random.float(0.8, 1.6);
    accelerators = generateInventory(random, { cards: capacityRacks * cardsPerRack, generation: generationOf(random, draft), domesticBoost });
    const servers = accelerators.reduce((s, l) => s + l.count, 0) / 8;
    compute = roundCompute({ fp64: servers * HOST_FP64_PER_SERVER, fp32: servers * HOST_FP64_PER_SERVER * 2, fp16: 0, int8: 0 });
  } else if (draft.kind === 'supercomputing' && draft.supercomputing) {
    const fp64 = draft.supercomputing.fp64Tflops * random.float(0.95, 1.05);
    compute = roundCompute({ fp64, fp32: fp64 * 2, fp16: fp64 * 4, int8: 0 });
  } else if (capacityRacks > 0) {
    compute = cpuCompute(random, capacityRacks);
    if (draft.kind === 'edge' && random.chance(0.4)) accelerators = generateEdgeInventory(random);
  }

  const design = pueDesign(random, traits);
  const measured = operating ? pueMeasured(random, design, draft.kind) : null;
  const load = loadFactor(random, draft.kind);
  const parts = { brand: findOperator(ownerKey).brand, cityShort: draft.city.shortName, countyShort: countyLabel(draft), kind: draft.kind };
  const baseName = draft.supercomputing?.name ?? (draft.datong ? datongName(random, parts, ownerKey) : facilityName(random, parts));
  const region = draft.county ?? draft.city;
  const jitter = draft.county ? 0.03 : 0.08;

  const facility: DemoFacility = {
    name: names.claim(baseName),
    regionCode: region.code,
    address: streetAddress(random, describePath(region.code).join('')),
    lon: region.lon === null ? null : round(region.lon + random.float(-jitter, jitter), 4),
    lat: region.lat === null ? null : round(region.lat + random.float(-jitter, jitter), 4),
    status: draft.status,
    kind: draft.kind,
    racksDesigned: draft.racksDesigned,
    racksInUse,
    compute,
    accelerators,
    storagePb: draft.supercomputing ? round(random.float(50, 300), 1) : storagePb(random, draft.kind, capacityRacks),
    advancedStoragePct: advancedStoragePct(random, draft.kind),
    egressGbps: egressGbps(random, draft.kind, capacityRacks > 0 ? capacityRacks : draft.racksDesigned),
    pueDesign: design,
    pueMeasured: measured,
    annualKwh: measured === null ? 0 : annualKwh(racksInUse, load, measured),
    greenPowerPct: greenPowerPct(random, traits),
    contacts: [contact(random, ownerKey, serial)],
    ownerKey,
  };
  return { facility, load };
}

/**
 * Holds 大同 to its published figures: 90% rack utilisation over the facilities in operation,
 * 2.5万 P (FP16) of compute under construction, and 43亿 kWh a year.
 */
function tuneDatong(built: Built[], rackScale: number): void {
  const operating = built.filter((b) => b.facility.status === 'in_operation');
  const designed = operating.reduce((s, b) => s + b.facility.racksDesigned, 0);
  for (let pass = 0; pass < 4; pass++) {
    const inUse = operating.reduce((s, b) => s + b.facility.racksInUse, 0);
    const factor = (DATONG.utilisation * designed) / Math.max(1, inUse);
    for (const { facility } of operating) {
      facility.racksInUse = Math.min(Math.round(facility.racksDesigned * 0.99), Math.round(facility.racksInUse * factor));
    }
  }

  const building = built.filter((b) => b.facility.status === 'under_construction' && b.facility.kind === 'intelligent');
  const fp16 = building.reduce((s, b) => s + computeFromAccelerators(b.facility.accelerators ?? []).compute.fp16, 0);
  if (fp16 > 0) {
    const factor = (DATONG.underConstructionPflops * 1000 * rackScale) / fp16;
    for (const { facility } of building) facility.accelerators = scaleInventory(facility.accelerators ?? [], factor);
  }

  const energyAt = (scale: number): number =>
    operating.reduce((s, b) => s + annualKwh(b.facility.racksInUse, clamp(b.load * scale, 0.3, 0.9), b.facility.pueMeasured ?? 1), 0);
  const scale = (DATONG.annualKwh * rackScale) / Math.max(1, energyAt(1));
  for (const b of operating) {
    b.facility.annualKwh = annualKwh(b.facility.racksInUse, clamp(b.load * scale, 0.3, 0.9), b.facility.pueMeasured ?? 1);
  }
}

/** Generates the demo dataset; deterministic in `seed`. */
export function generateDemoDataset({ seed = 20251, facilities = 2400 }: DemoDatasetOptions = {}): DemoDataset {
  const count = Math.max(1, Math.floor(facilities));
  const random = createRandom(seed);
  const drafts = planFacilities(random.fork('plan'), count);
  const details = random.fork('details');
  const names = new NameRegistry();
  const built = drafts.map((draft, i) => buildFacility(details, draft, names, i + 1));
  tuneDatong(built.filter((_, i) => drafts[i]?.datong), planScale(count).racks);
  return { organizations: demoOrganizations(), facilities: built.map((b) => b.facility) };
}
