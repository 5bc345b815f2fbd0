/**
 * Standard products of the compute supermarket (算力超市): catalogue templates a supplier lists
 * instead of describing every field. An offer made from a template takes the template's kind,
 * accelerator, memory, interconnect, unit and minimum term; the supplier adds facility, quantity,
 * window and price. Pure data.
 */
import type { PriceUnit, ResourceKind } from './types.ts';

export interface ProductTemplate {
  code: string;
  name: string; // Chinese name as the supermarket lists it
  nameEn: string;
  resourceKind: ResourceKind;
  acceleratorModel: string | null;
  memoryGb: number | null; // per unit; null: the catalogue's figure or not applicable
  interconnect: string | null;
  unit: PriceUnit;
  minTermHours: number;
  description: string;
}

// prettier-ignore
export const PRODUCT_TEMPLATES: readonly ProductTemplate[] = [
  { code: 'gpu-h200-sxm', name: 'H200 SXM 整卡（卡时）', nameEn: 'H200 SXM card, per card-hour', resourceKind: 'gpu', acceleratorModel: 'H200', memoryGb: 141, interconnect: 'NVLink', unit: 'card_hour', minTermHours: 1, description: '8-card HGX servers with NVLink; sold per card-hour' },
  { code: 'gpu-h100-sxm', name: 'H100 SXM 整卡（卡时）', nameEn: 'H100 SXM card, per card-hour', resourceKind: 'gpu', acceleratorModel: 'H100 SXM', memoryGb: 80, interconnect: 'NVLink', unit: 'card_hour', minTermHours: 1, description: '8-card HGX servers with NVLink; sold per card-hour' },
  { code: 'gpu-h800', name: 'H800 整卡（卡时）', nameEn: 'H800 card, per card-hour', resourceKind: 'gpu', acceleratorModel: 'H800', memoryGb: 80, interconnect: 'NVLink', unit: 'card_hour', minTermHours: 1, description: 'training card; sold per card-hour' },
  { code: 'gpu-a800', name: 'A800 整卡（卡时）', nameEn: 'A800 card, per card-hour', resourceKind: 'gpu', acceleratorModel: 'A800', memoryGb: 80, interconnect: 'NVLink', unit: 'card_hour', minTermHours: 1, description: 'training and fine-tuning; sold per card-hour' },
  { code: 'gpu-4090', name: 'RTX 4090 推理卡（卡时）', nameEn: 'RTX 4090 inference card, per card-hour', resourceKind: 'gpu', acceleratorModel: 'RTX 4090', memoryGb: 24, interconnect: 'PCIe', unit: 'card_hour', minTermHours: 1, description: 'inference and small fine-tuning jobs' },
  { code: 'npu-910b', name: '昇腾910B 整卡（卡时）', nameEn: 'Ascend 910B card, per card-hour', resourceKind: 'npu', acceleratorModel: 'Ascend 910B', memoryGb: 64, interconnect: 'HCCS', unit: 'card_hour', minTermHours: 1, description: 'domestic training card (Atlas 800T A2); sold per card-hour' },
  { code: 'npu-910b-monthly', name: '昇腾910B 包月（卡·月）', nameEn: 'Ascend 910B card, monthly', resourceKind: 'npu', acceleratorModel: 'Ascend 910B', memoryGb: 64, interconnect: 'HCCS', unit: 'month', minTermHours: 720, description: 'reserved domestic cards by the month' },
  { code: 'bm-h20-8x', name: 'H20 八卡裸金属（卡时）', nameEn: 'H20 8-card bare metal, per card-hour', resourceKind: 'bare_metal', acceleratorModel: 'H20', memoryGb: 96, interconnect: 'RoCE 400G', unit: 'card_hour', minTermHours: 24, description: 'whole servers, no virtualisation; priced per card-hour' },
  { code: 'cpu-general', name: '通用计算（核时）', nameEn: 'General compute, per core-hour', resourceKind: 'cpu', acceleratorModel: null, memoryGb: 4, interconnect: null, unit: 'core_hour', minTermHours: 1, description: 'x86 cores with 4 GB memory each' },
  { code: 'storage-object', name: '对象存储（TB·月）', nameEn: 'Object storage, per TB-month', resourceKind: 'storage', acceleratorModel: null, memoryGb: null, interconnect: null, unit: 'month', minTermHours: 720, description: 'object storage, three replicas; quantity in TB' },
  { code: 'api-llm', name: '大模型推理 API（千 tokens）', nameEn: 'LLM inference API, per 1k tokens', resourceKind: 'model_api', acceleratorModel: null, memoryGb: null, interconnect: null, unit: '1k_tokens', minTermHours: 0, description: 'an OpenAI-compatible endpoint; quantity is the concurrent request slots' },
];

export function findProduct(code: string): ProductTemplate | undefined {
  return PRODUCT_TEMPLATES.find((p) => p.code === code);
}

/** Which price units fit which kind of resource. */
export const UNITS_BY_KIND: Readonly<Record<ResourceKind, readonly PriceUnit[]>> = {
  gpu: ['card_hour', 'month'],
  npu: ['card_hour', 'month'],
  bare_metal: ['card_hour', 'month'],
  cpu: ['core_hour', 'month'],
  storage: ['month'],
  model_api: ['1k_tokens'],
};

/** Kinds whose offers name an accelerator from the catalogue. */
export const ACCELERATED_KINDS: readonly ResourceKind[] = ['gpu', 'npu', 'bare_metal'];
