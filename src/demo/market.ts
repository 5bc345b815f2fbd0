/**
 * The demo marketplace (算力超市), seeded: offers and standard products on the demo facilities in
 * operation (cards they have, priced from the card's FP16 peak), CPU, storage and model-API offers,
 * services of the demo providers, demands (among them "8 × H200 for 72 h within 5 ms of 大同 under
 * ¥30 per card-hour") and orders in every state, with settlement lines and ratings. Capacity is
 * respected as the order path would: no offer is overbooked. Same seed, same market.
 */
import { asc, eq } from 'drizzle-orm';
import { appendAudit, auditOfActor, type AuditInput } from '../audit/store.ts';
import type { Deps } from '../deps.ts';
import { organizations } from '../identity/tables.ts';
import { findAccelerator } from '../ledger/catalogue.ts';
import { facilities } from '../ledger/tables.ts';
import { referencePrice } from '../market/generate.ts';
import { findRegion } from '../regions/dataset.ts';
import { PRODUCT_TEMPLATES } from '../market/products.ts';
import { availableOver, MS_PER_HOUR, type OrderState, quotedTotal, requestFingerprint, type Reservation, settlementLines } from '../market/rules.ts';
import { type DemandRow, marketStore, type OfferRow, type OrderRow, type RatingRow, type ServiceRow, type SettlementRow } from '../market/store.ts';
import type { PriceUnit, ResourceKind } from '../market/types.ts';
import { DEFAULT_DEMO_SEED } from './monitoring.ts';
import { demoOrganizations } from './organizations.ts';
import { createRandom, type Random } from './random.ts';

const DAY = 24 * MS_PER_HOUR;
const DEMANDERS = ['demo-demander', 'demander-autodrive', 'demander-biocompute', 'provider-finetune'];
/** Orders per state; the demo user `demander` (demo-demander) buys the first of each. */
const ORDER_PLAN: [OrderState, number][] = [
  ['quote', 6],
  ['reserved', 16],
  ['active', 14],
  ['completed', 22],
  ['cancelled', 8],
  ['disputed', 6],
];
const MAX_ACCELERATOR_OFFERS = 420;
/** 山西, 北京, 河北, 内蒙古: the provinces within a few ms of 大同. */
const NEAR_DATONG = ['140000', '110000', '130000', '150000'];

export interface DemoMarketResult {
  offers: number;
  standardProducts: number;
  services: number;
  demands: number;
  orders: Record<string, number>;
  ratings: number;
  ms: number;
}

interface FacilityRow {
  id: string;
  computeId: string;
  name: string;
  regionCode: string;
  provinceCode: string;
  cityCode: string | null;
  ownerOrgId: string;
  kind: string;
  accelerators: { model: string; count: number }[];
  greenPowerPct: number;
  storagePb: number;
}

const hourFloor = (ms: number) => Math.floor(ms / MS_PER_HOUR) * MS_PER_HOUR;
const round2 = (x: number) => Math.round(x * 100) / 100;
const productFor = (kind: ResourceKind, model: string | null, unit: PriceUnit) => PRODUCT_TEMPLATES.find((p) => p.resourceKind === kind && p.acceleratorModel === model && p.unit === unit)?.code ?? null;

const SERVICE_NAMES: Record<string, string[]> = {
  model_deployment: ['DeepSeek-R1 私有化部署', 'Qwen2.5-72B 推理服务托管', 'GLM-4 专属推理集群', '多模态大模型一键部署'],
  fine_tuning: ['Qwen 行业精调（LoRA）', '医疗大模型精调与评测', '政务问答模型精调', '代码模型持续预训练'],
  application_building: ['智能客服应用搭建', '企业知识库问答搭建', '智慧城市视频分析应用', '工业质检视觉应用'],
};
const SERVICE_KINDS = Object.keys(SERVICE_NAMES);

export async function loadDemoMarket(deps: Deps, options: { seed?: number } = {}): Promise<DemoMarketResult> {
  const started = performance.now();
  const random = createRandom(options.seed ?? DEFAULT_DEMO_SEED).fork('market');
  const now = deps.clock.now();
  const nowMs = now.getTime();
  const facilityRows = (await deps.db
    .select({
      id: facilities.id,
      computeId: facilities.computeId,
      name: facilities.name,
      regionCode: facilities.regionCode,
      provinceCode: facilities.provinceCode,
      cityCode: facilities.cityCode,
      ownerOrgId: facilities.ownerOrgId,
      kind: facilities.kind,
      accelerators: facilities.accelerators,
      greenPowerPct: facilities.greenPowerPct,
      storagePb: facilities.storagePb,
    })
    .from(facilities)
    .where(eq(facilities.status, 'in_operation'))
    .orderBy(asc(facilities.computeId))) as FacilityRow[];
  const orgRows = await deps.db.select({ id: organizations.id, name: organizations.name, marketRoles: organizations.marketRoles }).from(organizations);
  const orgByName = new Map(orgRows.map((o) => [o.name, o]));
  const orgId = (key: string) => orgByName.get(demoOrganizations().find((o) => o.key === key)?.name ?? '')?.id;
  const providerOrgs = orgRows.filter((o) => o.marketRoles.includes('provider')).sort((a, b) => (a.name < b.name ? -1 : 1));
  const demanderIds = DEMANDERS.map(orgId).filter((id): id is string => !!id);
  const datongSupplier = orgId('datong-supplier');
  const system = (action: string, type: string, id: string, after: unknown): AuditInput => auditOfActor(null, now, action, type, id, null, after, 'demo');

  // ---------------------------------------------------------------- offers
  const offers: OfferRow[] = [];
  let serial = 0;
  const offer = (f: FacilityRow, fields: { kind: ResourceKind; model: string | null; memoryGb: number | null; interconnect: string | null; quantity: number; price: number; unit: PriceUnit; minTermHours: number; title: string }, r: Random) => {
    const expired = r.chance(0.03);
    const windowStart = hourFloor(nowMs - r.int(20, 45) * DAY);
    const windowEnd = expired ? hourFloor(nowMs - r.int(1, 10) * DAY) : hourFloor(nowMs + r.int(45, 180) * DAY);
    const product = productFor(fields.kind, fields.model, fields.unit);
    const row: OfferRow = {
      id: `off_demo${String(++serial).padStart(5, '0')}`,
      supplierOrgId: f.ownerOrgId,
      facilityId: f.id,
      regionCode: f.regionCode,
      provinceCode: f.provinceCode,
      cityCode: f.cityCode,
      product,
      title: product ? `${PRODUCT_TEMPLATES.find((p) => p.code === product)!.name} · ${f.name}` : `${fields.title} · ${f.name}`,
      resourceKind: fields.kind,
      acceleratorModel: fields.model,
      memoryGb: fields.memoryGb,
      interconnect: fields.interconnect,
      quantityTotal: fields.quantity,
      windowStart: new Date(windowStart),
      windowEnd: new Date(windowEnd),
      pricePerUnit: round2(fields.price),
      unit: fields.unit,
      currency: 'CNY',
      minTermHours: fields.minTermHours,
      slaPct: r.pick([99, 99.5, 99.9, 99.95]),
      certifications: r.chance(0.6) ? r.shuffle(['等保三级', 'ISO 27001', '可信云', 'ISO 14001']).slice(0, r.int(1, 3)) : [],
      greenPowerPct: f.greenPowerPct,
      status: !expired && r.chance(0.03) ? 'withdrawn' : 'open',
      version: 1,
      createdBy: 'demo',
      createdAt: new Date(windowStart - r.int(1, 5) * DAY),
      updatedAt: new Date(windowStart - r.int(0, 1) * DAY),
    };
    offers.push(row);
    return row;
  };

  const cardRandom = random.fork('offers:cards');
  for (const f of facilityRows) {
    for (const line of f.accelerators) {
      if (offers.length >= MAX_ACCELERATOR_OFFERS) break;
      const spec = findAccelerator(line.model);
      if (!spec || line.count < 8) continue;
      // Every H200 pool of 大同, and most around it, are on the market: the showcase demand looks for them.
      const showcase = f.cityCode === '140200' && spec.model === 'H200';
      const nearby = spec.model === 'H200' && NEAR_DATONG.includes(f.provinceCode);
      // The demo supplier (user supplier-datong) lists every pool it has, so its side of the market is never empty.
      const own = f.ownerOrgId === datongSupplier;
      if (!showcase && !own && !cardRandom.chance(nearby ? 0.8 : 0.3)) continue;
      const bareMetal = spec.model === 'H20' && cardRandom.chance(0.5);
      const kind: ResourceKind = bareMetal ? 'bare_metal' : spec.domestic ? 'npu' : 'gpu';
      const monthly = !showcase && cardRandom.chance(0.12);
      const perHour = referencePrice(spec) * cardRandom.float(0.8, 1.3);
      const quantity = Math.min(line.count, Math.max(8, Math.round((line.count * cardRandom.float(0.05, 0.3)) / 8) * 8));
      offer(f, {
        kind,
        model: spec.model,
        memoryGb: spec.memoryGb,
        interconnect: spec.domestic ? (spec.vendor === 'Huawei' ? 'HCCS' : 'RoCE 200G') : cardRandom.pick(['NVLink', 'NVLink', 'RoCE 400G', 'InfiniBand NDR']),
        quantity,
        price: monthly ? perHour * 730 * 0.75 : perHour,
        unit: monthly ? 'month' : 'card_hour',
        minTermHours: monthly ? 720 : bareMetal ? 24 : cardRandom.pick([1, 1, 8, 24]),
        title: `${spec.model}${monthly ? ' 包月' : ' 卡时'}`,
      }, cardRandom);
    }
  }
  const otherRandom = random.fork('offers:other');
  for (const f of facilityRows) {
    if (f.kind === 'general' && otherRandom.chance(0.05)) {
      offer(f, { kind: 'cpu', model: null, memoryGb: 4, interconnect: null, quantity: otherRandom.int(20, 400) * 100, price: otherRandom.float(0.04, 0.12), unit: 'core_hour', minTermHours: 1, title: '通用计算 核时' }, otherRandom);
    }
    if (f.storagePb > 1 && otherRandom.chance(0.02)) {
      offer(f, { kind: 'storage', model: null, memoryGb: null, interconnect: null, quantity: Math.min(Math.round(f.storagePb * 100), otherRandom.int(100, 5000)), price: otherRandom.float(60, 120), unit: 'month', minTermHours: 720, title: '对象存储 TB·月' }, otherRandom);
    }
    const owner = orgRows.find((o) => o.id === f.ownerOrgId);
    if (f.kind === 'intelligent' && owner?.marketRoles.includes('provider') && otherRandom.chance(0.04)) {
      offer(f, { kind: 'model_api', model: null, memoryGb: null, interconnect: null, quantity: otherRandom.int(5, 50) * 10, price: otherRandom.float(0.002, 0.02), unit: '1k_tokens', minTermHours: 0, title: '大模型推理 API 千 tokens' }, otherRandom);
    }
  }
  const isOpen = (o: OfferRow) => o.status === 'open' && o.windowEnd.getTime() > nowMs;
  const cardOffers = offers.filter((o) => isOpen(o) && o.acceleratorModel !== null && o.unit === 'card_hour');

  // ---------------------------------------------------------------- services
  const services: ServiceRow[] = [];
  const serviceRandom = random.fork('services');
  for (const [i, provider] of providerOrgs.entries()) {
    const count = provider.id === orgId('demo-provider') ? 3 : serviceRandom.int(1, 2);
    for (let k = 0; k < count; k++) {
      const kind = SERVICE_KINDS[(i + k) % SERVICE_KINDS.length];
      const own = cardOffers.filter((o) => o.supplierOrgId === provider.id);
      const pool = own.length ? own : cardOffers;
      const attached = pool.length ? serviceRandom.shuffle(pool).slice(0, serviceRandom.int(1, Math.min(4, pool.length))).map((o) => o.id) : [];
      const priced = serviceRandom.chance(0.7);
      const unit = kind === 'model_deployment' ? serviceRandom.pick(['month', '1k_tokens']) : kind === 'fine_tuning' ? 'project' : serviceRandom.pick(['project', 'month']);
      const price = unit === '1k_tokens' ? serviceRandom.float(0.004, 0.03) : unit === 'month' ? serviceRandom.float(3000, 30000) : serviceRandom.float(20000, 300000);
      const at = new Date(nowMs - serviceRandom.int(2, 60) * DAY);
      services.push({
        id: `svc_demo${String(services.length + 1).padStart(4, '0')}`,
        providerOrgId: provider.id,
        kind,
        name: serviceRandom.pick(SERVICE_NAMES[kind]),
        description: `${provider.name}提供：${kind === 'model_deployment' ? '模型部署、弹性扩缩与监控' : kind === 'fine_tuning' ? '数据清洗、精调训练与效果评测' : '需求梳理、应用开发与上线运维'}，运行于所附算力之上。`,
        offerIds: attached,
        pricePerUnit: priced ? round2(price) : null,
        unit: priced ? unit : null,
        status: 'listed',
        version: 1,
        createdBy: 'demo',
        createdAt: at,
        updatedAt: at,
      });
    }
  }

  // ---------------------------------------------------------------- demands
  const demands: DemandRow[] = [];
  const demandRandom = random.fork('demands');
  const demand = (orgIdValue: string, fields: Partial<DemandRow> & Pick<DemandRow, 'count' | 'startAt' | 'endAt' | 'title'>) => {
    const origin = fields.latencyFromRegionCode ?? fields.dataResidency ?? fields.regionsAllowed?.[0] ?? null;
    const region = origin ? findRegion(origin) : undefined;
    const at = new Date(Math.min(nowMs, fields.startAt.getTime()) - demandRandom.int(1, 72) * MS_PER_HOUR);
    const row: DemandRow = {
      id: `dem_demo${String(demands.length + 1).padStart(4, '0')}`,
      demanderOrgId: orgIdValue,
      resourceKind: null,
      acceleratorModel: null,
      minTflops: null,
      precision: null,
      memoryGb: null,
      regionsAllowed: [],
      dataResidency: null,
      latencyFromRegionCode: null,
      latencyMaxMs: null,
      maxPricePerUnit: null,
      weights: { price: 1, latency: 1, green: 0.5, reputation: 0.5, utilisation: 0.5 },
      regionCode: region?.code ?? null,
      provinceCode: region?.provinceCode ?? null,
      cityCode: region?.cityCode ?? null,
      status: 'open',
      version: 1,
      createdBy: 'demo',
      createdAt: at,
      updatedAt: at,
      ...fields,
    };
    demands.push(row);
    return row;
  };
  const tomorrow = Math.ceil(nowMs / DAY) * DAY;
  const showcaseDemander = orgId('demo-demander');
  if (showcaseDemander) {
    demand(showcaseDemander, {
      title: '8 × H200 · 72 小时 · 大同 5 ms 内 · ≤ ¥30/卡时',
      acceleratorModel: 'H200',
      count: 8,
      startAt: new Date(tomorrow),
      endAt: new Date(tomorrow + 72 * MS_PER_HOUR),
      latencyFromRegionCode: '140200',
      latencyMaxMs: 5,
      maxPricePerUnit: 30,
      weights: { price: 2, latency: 1, green: 1, reputation: 1, utilisation: 0.5 },
    });
  }
  for (let i = 0; i < 34 && cardOffers.length && demanderIds.length; i++) {
    const anchor = demandRandom.pick(cardOffers);
    const spec = findAccelerator(anchor.acceleratorModel!)!;
    const start = tomorrow + demandRandom.int(0, 14) * DAY;
    const hours = demandRandom.pick([24, 72, 168, 336]);
    const byTflops = demandRandom.chance(0.15);
    const fields: Partial<DemandRow> & Pick<DemandRow, 'count' | 'startAt' | 'endAt' | 'title'> = {
      title: byTflops ? `${8 * demandRandom.int(1, 4)} 卡 · FP16 ≥ ${Math.round(spec.peak.fp16 * 0.9)} TFLOPS` : `${spec.model} 训练算力 ${hours} 小时`,
      count: 8 * demandRandom.int(1, 4),
      startAt: new Date(start),
      endAt: new Date(start + hours * MS_PER_HOUR),
    };
    fields.title = byTflops ? `${fields.count} 卡 · FP16 ≥ ${Math.round(spec.peak.fp16 * 0.9)} TFLOPS · ${hours} 小时` : `${fields.count} × ${spec.model} · ${hours} 小时`;
    if (byTflops) Object.assign(fields, { minTflops: Math.round(spec.peak.fp16 * 0.9), precision: 'fp16' });
    else fields.acceleratorModel = spec.model;
    if (demandRandom.chance(0.4) && anchor.cityCode) Object.assign(fields, { latencyFromRegionCode: anchor.cityCode, latencyMaxMs: demandRandom.pick([5, 10, 20]) });
    if (demandRandom.chance(0.15)) fields.regionsAllowed = [anchor.provinceCode];
    if (demandRandom.chance(0.5)) fields.maxPricePerUnit = round2(referencePrice(spec) * demandRandom.float(1, 1.5));
    fields.weights = { price: round2(demandRandom.float(0.5, 2)), latency: round2(demandRandom.float(0, 1)), green: round2(demandRandom.float(0, 1)), reputation: round2(demandRandom.float(0, 1)), utilisation: round2(demandRandom.float(0, 0.5)) };
    if (i >= 31) fields.status = 'closed';
    demand(demandRandom.pick(demanderIds), fields);
  }

  // ---------------------------------------------------------------- orders
  const orders: OrderRow[] = [];
  const lines: SettlementRow[] = [];
  const ratings: RatingRow[] = [];
  const holding = new Map<string, Reservation[]>();
  const orderRandom = random.fork('orders');
  for (const [state, count] of ORDER_PLAN) {
    let placed = 0;
    for (let attempt = 0; placed < count && attempt < count * 20 && cardOffers.length && demanderIds.length; attempt++) {
      // The 大同 supplier and the demo demander see their side of the market in every state.
      const fromDatong = placed === 0 || orderRandom.chance(0.25);
      const pool = fromDatong && datongSupplier ? cardOffers.filter((o) => o.supplierOrgId === datongSupplier) : cardOffers;
      const o = orderRandom.pick(pool.length ? pool : cardOffers);
      const buyer = placed === 0 && showcaseDemander ? showcaseDemander : orderRandom.pick(demanderIds);
      if (buyer === o.supplierOrgId) continue;
      const hours = orderRandom.pick([24, 48, 72, 168]);
      let start: number;
      if (state === 'completed' || state === 'disputed') start = hourFloor(nowMs - orderRandom.int(hours + 24, 18 * 24) * MS_PER_HOUR);
      else if (state === 'active') start = hourFloor(nowMs - orderRandom.int(1, Math.min(hours - 1, 48)) * MS_PER_HOUR);
      else start = hourFloor(nowMs + orderRandom.int(1, 14) * DAY);
      const end = start + hours * MS_PER_HOUR;
      if (start < o.windowStart.getTime() || end > o.windowEnd.getTime()) continue;
      const quantity = Math.max(1, Math.min(8 * orderRandom.int(1, 4), Math.floor(o.quantityTotal / 4)));
      const holds = state === 'reserved' || state === 'active';
      const taken = holding.get(o.id) ?? [];
      if (holds && availableOver(o.quantityTotal, taken, start, end) < quantity) continue;
      if (holds) holding.set(o.id, [...taken, { startMs: start, endMs: end, quantity }]);
      const createdAt = Math.min(nowMs - MS_PER_HOUR, start - orderRandom.int(2, 72) * MS_PER_HOUR);
      const completedAt = end + MS_PER_HOUR;
      const key = `demo-order-${orders.length + 1}`;
      const startIso = new Date(start).toISOString();
      const endIso = new Date(end).toISOString();
      const row: OrderRow = {
        id: `ord_demo${String(orders.length + 1).padStart(4, '0')}`,
        offerId: o.id,
        demandId: null,
        buyerOrgId: buyer,
        supplierOrgId: o.supplierOrgId,
        facilityId: o.facilityId,
        regionCode: o.regionCode,
        provinceCode: o.provinceCode,
        cityCode: o.cityCode,
        quantity,
        startAt: new Date(start),
        endAt: new Date(end),
        unitPrice: o.pricePerUnit,
        unit: o.unit,
        currency: 'CNY',
        totalAmount: quotedTotal(o.pricePerUnit, o.unit as PriceUnit, quantity, hours),
        state,
        quoteExpiresAt: state === 'quote' ? new Date(nowMs + orderRandom.int(2, 23) * MS_PER_HOUR) : null,
        idempotencyKey: key,
        requestFingerprint: requestFingerprint({ offerId: o.id, quantity, start: startIso, end: endIso, quote: state === 'quote' }),
        reason: state === 'cancelled' ? orderRandom.pick(['计划变更', '预算调整', '改用其他区域资源']) : state === 'disputed' ? orderRandom.pick(['实际可用率低于 SLA', '交付延迟', '计费数量有异议']) : null,
        version: 1,
        createdBy: 'demo',
        createdAt: new Date(createdAt),
        updatedAt: new Date(Math.min(nowMs, state === 'completed' || state === 'disputed' ? completedAt + 3 * MS_PER_HOUR : createdAt)),
        reservedAt: state === 'quote' ? null : new Date(createdAt),
        activatedAt: state === 'active' || state === 'completed' || state === 'disputed' ? new Date(start) : null,
        completedAt: state === 'completed' || state === 'disputed' ? new Date(completedAt) : null,
        cancelledAt: state === 'cancelled' ? new Date(createdAt + MS_PER_HOUR) : null,
        disputedAt: state === 'disputed' ? new Date(completedAt + 3 * MS_PER_HOUR) : null,
      };
      orders.push(row);
      placed++;
      if (state === 'completed' || state === 'disputed') {
        for (const l of settlementLines({ quantity, unitPrice: o.pricePerUnit, unit: o.unit as PriceUnit, startMs: start }, end, [])) {
          lines.push({ id: `stl_demo${String(lines.length + 1).padStart(5, '0')}`, orderId: row.id, period: l.period, periodStart: new Date(l.periodStartMs), periodEnd: new Date(l.periodEndMs), quantity: l.quantity, unitPrice: l.unitPrice, amount: l.amount, basis: l.basis, createdAt: new Date(completedAt) });
        }
      }
      if (state === 'completed' && orderRandom.chance(0.8)) {
        const stars = orderRandom.weighted([5, 4, 3, 2], (s) => (s === 5 ? 50 : s === 4 ? 30 : s === 3 ? 15 : 5));
        ratings.push({ id: `rat_demo${String(ratings.length + 1).padStart(4, '0')}`, orderId: row.id, supplierOrgId: o.supplierOrgId, buyerOrgId: buyer, stars, comment: orderRandom.pick(['交付顺利，网络稳定', '性价比高', '响应及时', '有少量中断，整体可用', '']), createdBy: 'demo', createdAt: new Date(completedAt + 6 * MS_PER_HOUR) });
      }
    }
  }
  // Orders placed for a demand: a few reserved and active ones carry the demand they were placed for.
  for (const row of orders.filter((o) => o.state === 'reserved' || o.state === 'active').slice(0, 6)) {
    const o = offers.find((x) => x.id === row.offerId)!;
    const d = demand(row.buyerOrgId, { title: `${row.quantity} × ${o.acceleratorModel} · ${(row.endAt.getTime() - row.startAt.getTime()) / MS_PER_HOUR} 小时`, acceleratorModel: o.acceleratorModel, count: row.quantity, startAt: row.startAt, endAt: row.endAt, status: 'ordered' });
    row.demandId = d.id;
  }

  await deps.db.transaction(async (tx) => {
    const store = marketStore(tx);
    await store.insertOffers(offers);
    await store.insertServices(services);
    await store.insertDemands(demands);
    await store.insertOrders(orders);
    await store.insertSettlement(lines);
    await store.insertRatings(ratings);
    await appendAudit(tx, [
      ...offers.map((o) => system('imported', 'offer', o.id, { facilityId: o.facilityId, quantityTotal: o.quantityTotal, pricePerUnit: o.pricePerUnit, unit: o.unit, status: o.status })),
      ...services.map((s) => system('imported', 'service', s.id, { kind: s.kind, name: s.name })),
      ...demands.map((d) => system('imported', 'demand', d.id, { count: d.count, status: d.status })),
      ...orders.map((o) => system('imported', 'order', o.id, { offerId: o.offerId, quantity: o.quantity, state: o.state })),
    ]);
  });
  const byState: Record<string, number> = {};
  for (const o of orders) byState[o.state] = (byState[o.state] ?? 0) + 1;
  return {
    offers: offers.length,
    standardProducts: offers.filter((o) => o.product !== null).length,
    services: services.length,
    demands: demands.length,
    orders: byState,
    ratings: ratings.length,
    ms: Math.round(performance.now() - started),
  };
}
