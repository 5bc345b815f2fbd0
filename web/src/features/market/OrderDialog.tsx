/**
 * The order dialog: quantity and window for one offer (defaults from the demand, if any), sent as
 * POST /api/v1/orders with an Idempotency-Key made once per opening of the dialog — a retry after
 * a lost answer or an error sends the same key, so the server returns the same order instead of a
 * second one (docs/market.md §4). Shows the order that resulted.
 */
import { CheckCircleFilled } from '@ant-design/icons';
import { Alert, Button, Descriptions, Flex, Form, Input, InputNumber, Modal, Radio, Result, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { api, ApiError } from '../../api.ts';
import { formatDateTime, formatNumber } from '../../format.ts';
import { useI18n } from '../../i18n.ts';
import { formatCny, fromLocalInput, hoursBetween, newIdempotencyKey, toLocalInput } from './format.ts';
import type { Demand, FieldError, Offer, Order } from './types.ts';
import { Capacity, OfferWhat, OrderStateTag, UnitPrice } from './ui.tsx';

interface Values {
  quantity: number | null;
  start: string;
  end: string;
  mode: 'reserve' | 'quote';
}

const FIELDS: Record<string, keyof Values> = { '/quantity': 'quantity', '/start': 'start', '/end': 'end' };

function defaults(offer: Offer, demand: Demand | null | undefined): Values {
  if (demand) return { quantity: demand.count, start: toLocalInput(new Date(demand.start)), end: toLocalInput(new Date(demand.end)), mode: 'reserve' };
  const from = new Date(offer.availableFrom ?? offer.window.start);
  const start = new Date(Math.ceil(Math.max(from.getTime(), Date.now()) / 3_600_000) * 3_600_000);
  const hours = Math.max(24, offer.minTermHours);
  const end = new Date(Math.min(start.getTime() + hours * 3_600_000, Date.parse(offer.window.end)));
  return { quantity: Math.min(8, Math.max(1, offer.quantityAvailable)), start: toLocalInput(start), end: toLocalInput(end), mode: 'reserve' };
}

export function OrderDialog({ open, offer, demand, onClose, onOrdered }: { open: boolean; offer: Offer | null; demand?: Demand | null; onClose: () => void; onOrdered?: (order: Order) => void }) {
  const { t, te, lang } = useI18n();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiError | null>(null);
  const [order, setOrder] = useState<Order | null>(null);
  // One key per opening of the dialog (per intended order), reused by every retry inside it.
  const [key, setKey] = useState('');
  const latest = useRef({ offer, demand });
  latest.current = { offer, demand };
  const offerId = offer?.id ?? null;

  // On opening (not when the parent reloads the same offer): a fresh key, the defaults, no result.
  useEffect(() => {
    if (!open || !offerId || !latest.current.offer) return;
    setKey(newIdempotencyKey());
    setOrder(null);
    setProblem(null);
    form.setFieldsValue(defaults(latest.current.offer, latest.current.demand));
  }, [open, offerId, form]);

  const values = Form.useWatch([], form) as Values | undefined;
  const startIso = fromLocalInput(values?.start);
  const endIso = fromLocalInput(values?.end);
  const hours = startIso && endIso ? hoursBetween(startIso, endIso) : null;
  const perHour = offer && (offer.unit === 'card_hour' || offer.unit === 'core_hour');
  const estimate = offer && perHour && hours && hours > 0 && values?.quantity ? offer.pricePerUnit * values.quantity * hours : null;

  const submit = async () => {
    if (!offer) return;
    const v = await form.validateFields();
    const body: Record<string, unknown> = { offerId: offer.id, quantity: v.quantity, start: fromLocalInput(v.start), end: fromLocalInput(v.end) };
    if (demand) body.demandId = demand.id;
    if (v.mode === 'quote') body.quote = true;
    setBusy(true);
    setProblem(null);
    try {
      const created = await api<Order>('/orders', { method: 'POST', body, headers: { 'Idempotency-Key': key }, quiet: true });
      setOrder(created);
      onOrdered?.(created);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      setProblem(error);
      const fields = (error.errors as FieldError[]).filter((e) => FIELDS[e.path]).map((e) => ({ name: FIELDS[e.path]!, errors: [e.message] }));
      if (fields.length) form.setFields(fields as Parameters<typeof form.setFields>[0]);
    } finally {
      setBusy(false);
    }
  };

  const problemText = (error: ApiError) => {
    if (error.code === 'NETWORK') return t('market.order.networkRetry');
    const known = ['INSUFFICIENT_CAPACITY', 'OFFER_EXPIRED', 'OFFER_WITHDRAWN', 'IDEMPOTENCY_KEY_REUSED'];
    return known.includes(error.code) ? `${te('market.order.error', error.code)} ${error.detail ?? ''}` : (error.detail ?? t('common.unknownError', { status: error.status }));
  };

  const footer = order ? (
    <Flex justify="flex-end" gap={8}>
      <Button onClick={() => navigate('/market/orders', { state: { highlight: order.id } })} data-testid="order-go-orders">
        {t('market.order.viewOrders')}
      </Button>
      <Button type="primary" onClick={onClose} data-testid="order-close">
        {t('market.order.close')}
      </Button>
    </Flex>
  ) : (
    <Flex justify="flex-end" gap={8}>
      <Button onClick={onClose}>{t('common.cancel')}</Button>
      <Button type="primary" loading={busy} onClick={() => void submit().catch(() => {})} data-testid="order-submit">
        {problem ? t('market.order.retry') : t('market.order.submit')}
      </Button>
    </Flex>
  );

  return (
    <Modal open={open} title={t('market.order.title')} onCancel={onClose} footer={footer} destroyOnHidden width={640} data-testid="order-dialog">
      {offer ? (
        order ? (
          <Result
            status="success"
            icon={<CheckCircleFilled />}
            title={order.state === 'quote' ? t('market.order.quoted') : t('market.order.reserved')}
            subTitle={
              <Flex vertical gap={4} align="center">
                <span>
                  <Typography.Text code data-testid="order-result-id">
                    {order.id}
                  </Typography.Text>{' '}
                  <OrderStateTag state={order.state} />
                </span>
                <span>
                  {t('market.order.summary', {
                    quantity: formatNumber(order.quantity, lang),
                    unit: te('market.quantityUnit', offer.resourceKind),
                    start: formatDateTime(order.start, lang),
                    end: formatDateTime(order.end, lang),
                  })}
                </span>
                <span data-testid="order-result-total">
                  {t('market.order.total')}: {formatCny(order.totalAmount, lang)}
                </span>
              </Flex>
            }
            data-testid="order-result"
          />
        ) : (
          <Flex vertical gap={12}>
            <Descriptions size="small" column={2} bordered>
              <Descriptions.Item label={t('market.offer')} span={2}>
                <Typography.Text data-testid="order-offer-title">{offer.title}</Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label={t('market.what')}>
                <OfferWhat offer={offer} />
              </Descriptions.Item>
              <Descriptions.Item label={t('market.price')}>
                <UnitPrice price={offer.pricePerUnit} unit={offer.unit} strong />
              </Descriptions.Item>
              <Descriptions.Item label={t('market.free')} span={2}>
                <Flex justify="flex-start">
                  <Capacity offer={offer} />
                </Flex>
              </Descriptions.Item>
            </Descriptions>
            {problem ? <Alert type="error" showIcon title={problemText(problem)} data-testid="order-problem" /> : null}
            <Form<Values> form={form} name="order" layout="vertical" disabled={busy}>
              <Flex gap={12} wrap>
                <Form.Item
                  name="quantity"
                  label={t('market.order.quantity')}
                  rules={[{ required: true, type: 'integer', min: 1, message: t('market.v.countPositive') }]}
                  style={{ width: 120 }}
                >
                  <InputNumber min={1} precision={0} style={{ width: '100%' }} data-testid="order-quantity" />
                </Form.Item>
                <Form.Item name="start" label={t('market.order.start')} rules={[{ required: true, message: t('market.v.startRequired') }]} style={{ width: 200 }}>
                  <Input type="datetime-local" data-testid="order-start" />
                </Form.Item>
                <Form.Item
                  name="end"
                  label={t('market.order.end')}
                  dependencies={['start']}
                  rules={[
                    { required: true, message: t('market.v.endRequired') },
                    ({ getFieldValue }) => ({
                      validator: async (_, value: string) => {
                        const s = fromLocalInput(getFieldValue('start') as string);
                        const e = fromLocalInput(value);
                        if (s && e && !(Date.parse(e) > Date.parse(s))) throw new Error(t('market.v.endAfterStart'));
                      },
                    }),
                  ]}
                  style={{ width: 200 }}
                >
                  <Input type="datetime-local" data-testid="order-end" />
                </Form.Item>
              </Flex>
              <Form.Item name="mode" label={t('market.order.mode')} style={{ marginBottom: 8 }}>
                <Radio.Group
                  options={[
                    { value: 'reserve', label: t('market.order.modeReserve') },
                    { value: 'quote', label: t('market.order.modeQuote') },
                  ]}
                  data-testid="order-mode"
                />
              </Form.Item>
            </Form>
            <Flex justify="space-between" wrap gap={8}>
              <Typography.Text type="secondary">
                {hours && hours > 0 ? t('market.order.hours', { hours: formatNumber(hours, lang, 1) }) : ''}
              </Typography.Text>
              <Typography.Text strong data-testid="order-estimate">
                {estimate !== null ? `${t('market.order.estimate')}: ${formatCny(estimate, lang)}` : ''}
              </Typography.Text>
            </Flex>
            <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="order-key">
              {t('market.order.keyHint')} <Typography.Text code style={{ fontSize: 11 }}>{key}</Typography.Text>
            </Typography.Text>
          </Flex>
        )
      ) : null}
    </Modal>
  );
}
