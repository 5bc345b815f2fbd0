/**
 * A supplier lists an offer on one of its approved facilities in operation: from a standard product
 * (the template fills kind, card, memory, interconnect, unit and minimum term) or described in full.
 * Field errors of the server's problem+json land on their fields.
 */
import { Alert, App, Descriptions, Flex, Form, Input, InputNumber, Modal, Select, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { api, ApiError } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { useRequest } from '../../hooks/useRequest.ts';
import { useI18n } from '../../i18n.ts';
import type { Facility, Page } from '../../types.ts';
import { fromLocalInput, nextLocalMidnight, toLocalInput } from './format.ts';
import { ACCELERATED_KINDS, type FieldError, type Offer, type ProductTemplate, RESOURCE_KINDS, type ResourceKind, UNITS_BY_KIND } from './types.ts';

interface Values {
  facilityId?: string;
  product?: string;
  title?: string;
  resourceKind?: ResourceKind;
  acceleratorModel?: string;
  memoryGb?: number | null;
  interconnect?: string;
  quantity?: number | null;
  windowStart?: string;
  windowEnd?: string;
  pricePerUnit?: number | null;
  unit?: string;
  minTermHours?: number | null;
  slaPct?: number | null;
  certifications?: string[];
}

const CUSTOM = '__custom__';

/** Server field (JSON pointer) → form field. */
function fieldOf(path: string): keyof Values | null {
  const [head, next] = path.split('/').filter(Boolean);
  if (head === 'window') return next === 'end' ? 'windowEnd' : 'windowStart';
  const known: (keyof Values)[] = ['facilityId', 'product', 'title', 'resourceKind', 'acceleratorModel', 'memoryGb', 'interconnect', 'quantity', 'pricePerUnit', 'unit', 'minTermHours', 'slaPct', 'certifications'];
  return known.includes(head as keyof Values) ? (head as keyof Values) : null;
}

export function OfferFormModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (offer: Offer) => void }) {
  const { t, te, lang } = useI18n();
  const { user } = useAuth();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const facilities = useRequest(
    (signal) => api<Page<Facility>>('/facilities', { query: { owner: user?.orgId, status: 'in_operation', limit: 200 }, signal, quiet: true }),
    [user?.orgId, open],
    open && Boolean(user),
  );
  const products = useRequest((signal) => api<Page<ProductTemplate>>('/market/products', { signal, quiet: true }), [open], open);

  const facilityId = Form.useWatch('facilityId', form);
  const productCode = Form.useWatch('product', form) ?? CUSTOM;
  const kind = Form.useWatch('resourceKind', form);
  const facility = facilities.data?.items.find((f) => f.id === facilityId);
  const product = products.data?.items.find((p) => p.code === productCode);
  const cards = useMemo(() => facility?.accelerators ?? [], [facility]);

  const initial = useMemo<Values>(() => {
    const start = nextLocalMidnight(new Date());
    const end = new Date(start.getTime() + 90 * 24 * 3_600_000);
    return { product: CUSTOM, resourceKind: 'gpu', unit: 'card_hour', windowStart: toLocalInput(start), windowEnd: toLocalInput(end), minTermHours: 1, slaPct: 99.9, certifications: [] };
  }, []);

  const submit = async () => {
    const v = await form.validateFields();
    const body: Record<string, unknown> = {
      facilityId: v.facilityId,
      quantity: v.quantity,
      window: { start: fromLocalInput(v.windowStart), end: fromLocalInput(v.windowEnd) },
      pricePerUnit: v.pricePerUnit,
    };
    if (v.title?.trim()) body.title = v.title.trim();
    if (v.product && v.product !== CUSTOM) body.product = v.product;
    else {
      body.resourceKind = v.resourceKind;
      body.unit = v.unit;
      if (v.acceleratorModel) body.acceleratorModel = v.acceleratorModel;
      if (typeof v.memoryGb === 'number') body.memoryGb = v.memoryGb;
      if (v.interconnect?.trim()) body.interconnect = v.interconnect.trim();
    }
    if (typeof v.minTermHours === 'number') body.minTermHours = v.minTermHours;
    if (typeof v.slaPct === 'number') body.slaPct = v.slaPct;
    if (v.certifications?.length) body.certifications = v.certifications;
    setBusy(true);
    setProblem(null);
    try {
      const created = await api<Offer>('/offers', { method: 'POST', body, quiet: true });
      void message.success(t('market.myOffers.created'));
      form.resetFields();
      onCreated(created);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const fields = (error.errors as FieldError[]).map((e) => ({ name: fieldOf(e.path), errors: [e.message] })).filter((f) => f.name !== null);
      // Errors without a field list (403 NOT_FACILITY_OWNER, 422 FACILITY_NOT_APPROVED …) belong to the facility.
      if (!fields.length && /FACILITY|INVENTORY|ACCELERATOR/.test(error.code)) fields.push({ name: error.code === 'QUANTITY_EXCEEDS_INVENTORY' ? 'quantity' : error.code.includes('ACCELERATOR') ? 'acceleratorModel' : 'facilityId', errors: [error.detail ?? error.code] });
      if (fields.length) form.setFields(fields as Parameters<typeof form.setFields>[0]);
      setProblem(error.code === 'NETWORK' ? t('common.networkError') : (error.detail ?? t('common.unknownError', { status: error.status })));
    } finally {
      setBusy(false);
    }
  };

  const accelerated = ACCELERATED_KINDS.includes((kind ?? 'gpu') as ResourceKind);
  return (
    <Modal
      open={open}
      title={t('market.myOffers.new')}
      okText={t('market.myOffers.publish')}
      cancelText={t('common.cancel')}
      onOk={() => void submit().catch(() => {})}
      onCancel={onClose}
      okButtonProps={{ loading: busy, ...({ 'data-testid': 'offer-submit' } as object) }}
      destroyOnHidden
      width={680}
    >
      <Form<Values>
        form={form}
        name="offer"
        layout="vertical"
        preserve={false}
        initialValues={initial}
        disabled={busy}
        onValuesChange={(changed: Partial<Values>) => {
          if (changed.resourceKind) form.setFieldsValue({ unit: UNITS_BY_KIND[changed.resourceKind][0], acceleratorModel: undefined });
          if (changed.facilityId) {
            // Keep the card if the newly chosen facility has it too.
            const chosen = facilities.data?.items.find((f) => f.id === changed.facilityId);
            const model = form.getFieldValue('acceleratorModel') as string | undefined;
            if (model && !chosen?.accelerators.some((c) => c.model === model)) form.setFieldsValue({ acceleratorModel: undefined });
          }
        }}
      >
        {problem ? <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} data-testid="offer-problem" /> : null}
        <Form.Item name="facilityId" label={t('market.myOffers.facility')} rules={[{ required: true, message: t('market.v.facilityRequired') }]} extra={t('market.myOffers.facilityHint')}>
          <Select
            loading={facilities.loading}
            showSearch={{ optionFilterProp: 'label' }}
            options={(facilities.data?.items ?? []).map((f) => ({ value: f.id, label: `${f.name} · ${f.computeId}` }))}
            notFoundContent={facilities.loading ? undefined : t('market.myOffers.noFacility')}
            data-testid="offer-facility"
          />
        </Form.Item>
        <Flex gap={12} wrap>
          <Form.Item name="product" label={t('market.myOffers.product')} style={{ flex: '1 1 260px' }}>
            <Select
              options={[{ value: CUSTOM, label: t('market.myOffers.custom') }, ...(products.data?.items ?? []).filter((p) => !facility || p.acceleratorModel === null || cards.some((c) => c.model === p.acceleratorModel)).map((p) => ({ value: p.code, label: lang === 'en' ? p.nameEn : p.name }))]}
              data-testid="offer-product"
            />
          </Form.Item>
          <Form.Item name="title" label={t('market.myOffers.title')} style={{ flex: '1 1 260px' }}>
            <Input maxLength={200} placeholder={t('market.myOffers.titleHint')} data-testid="offer-title" />
          </Form.Item>
        </Flex>
        {product ? (
          <Descriptions size="small" column={3} bordered style={{ marginBottom: 16 }} data-testid="offer-product-summary">
            <Descriptions.Item label={t('market.kindLabel')}>{te('market.kind', product.resourceKind)}</Descriptions.Item>
            <Descriptions.Item label={t('field.model')}>{product.acceleratorModel ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('market.unitLabel')}>{te('market.unit', product.unit)}</Descriptions.Item>
            <Descriptions.Item label={t('field.memoryGb')}>{product.memoryGb ? `${product.memoryGb} GB` : '—'}</Descriptions.Item>
            <Descriptions.Item label={t('market.interconnect')}>{product.interconnect ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('market.minTerm')}>{t('market.hoursValue', { hours: product.minTermHours })}</Descriptions.Item>
          </Descriptions>
        ) : (
          <Flex gap={12} wrap>
            <Form.Item name="resourceKind" label={t('market.kindLabel')} rules={[{ required: true }]} style={{ width: 150 }}>
              <Select options={RESOURCE_KINDS.map((k) => ({ value: k, label: te('market.kind', k) }))} data-testid="offer-kind" />
            </Form.Item>
            {accelerated ? (
              <Form.Item name="acceleratorModel" label={t('field.model')} rules={[{ required: true, message: t('market.v.modelRequired') }]} style={{ width: 200 }} extra={t('market.myOffers.modelHint')}>
                <Select
                  options={cards.map((c) => ({ value: c.model, label: `${c.model} · ${c.count} ${t('unit.cards')}` }))}
                  notFoundContent={t('market.myOffers.noCards')}
                  data-testid="offer-model"
                />
              </Form.Item>
            ) : null}
            <Form.Item name="unit" label={t('market.unitLabel')} rules={[{ required: true }]} style={{ width: 130 }}>
              <Select options={UNITS_BY_KIND[(kind ?? 'gpu') as ResourceKind].map((u) => ({ value: u, label: te('market.unit', u) }))} data-testid="offer-unit" />
            </Form.Item>
            <Form.Item name="memoryGb" label={`${t('field.memoryGb')} (GB)`} style={{ width: 120 }}>
              <InputNumber min={0} style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item name="interconnect" label={t('market.interconnect')} style={{ width: 150 }}>
              <Input maxLength={100} placeholder="NVLink / RoCE 400G" />
            </Form.Item>
          </Flex>
        )}
        <Flex gap={12} wrap>
          <Form.Item name="quantity" label={t('market.myOffers.quantity')} rules={[{ required: true, type: 'integer', min: 1, message: t('market.v.countPositive') }]} style={{ width: 140 }}>
            <InputNumber min={1} precision={0} style={{ width: '100%' }} data-testid="offer-quantity" />
          </Form.Item>
          <Form.Item name="pricePerUnit" label={t('market.myOffers.price')} rules={[{ required: true, type: 'number', min: 0, message: t('market.v.priceNonNegative') }]} style={{ width: 160 }}>
            <InputNumber min={0} step={0.5} prefix="¥" style={{ width: '100%' }} data-testid="offer-price" />
          </Form.Item>
          <Form.Item name="minTermHours" label={`${t('market.minTerm')} (h)`} style={{ width: 120 }}>
            <InputNumber min={0} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="slaPct" label="SLA (%)" style={{ width: 110 }}>
            <InputNumber min={0} max={100} step={0.05} style={{ width: '100%' }} />
          </Form.Item>
        </Flex>
        <Flex gap={12} wrap>
          <Form.Item name="windowStart" label={t('market.myOffers.windowStart')} rules={[{ required: true, message: t('market.v.startRequired') }]} style={{ width: 210 }}>
            <Input type="datetime-local" data-testid="offer-window-start" />
          </Form.Item>
          <Form.Item
            name="windowEnd"
            label={t('market.myOffers.windowEnd')}
            dependencies={['windowStart']}
            rules={[
              { required: true, message: t('market.v.endRequired') },
              ({ getFieldValue }) => ({
                validator: async (_, value: string) => {
                  const s = fromLocalInput(getFieldValue('windowStart') as string);
                  const e = fromLocalInput(value);
                  if (s && e && !(Date.parse(e) > Date.parse(s))) throw new Error(t('market.v.endAfterStart'));
                },
              }),
            ]}
            style={{ width: 210 }}
          >
            <Input type="datetime-local" data-testid="offer-window-end" />
          </Form.Item>
          <Form.Item name="certifications" label={t('market.certifications')} style={{ flex: '1 1 200px' }}>
            <Select mode="tags" options={['等保三级', 'ISO 27001', '可信云', 'ISO 14001'].map((c) => ({ value: c, label: c }))} />
          </Form.Item>
        </Flex>
        {facility ? (
          <Typography.Text type="secondary" data-testid="offer-green">
            {t('market.myOffers.greenInherited', { pct: facility.greenPowerPct ?? 0 })}
          </Typography.Text>
        ) : null}
      </Form>
    </Modal>
  );
}
