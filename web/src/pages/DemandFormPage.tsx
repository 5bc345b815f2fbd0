/**
 * Post a demand (发布需求): hard requirements — an accelerator model or a minimum TFLOPS at a
 * precision, count, memory, start and duration or end, allowed regions, data residency, a latency
 * bound from a place, a price cap — and soft weights with the server's defaults. Checked in the
 * browser first; the server's problem+json field errors land on their fields. On success the
 * ranked matches open.
 */
import { SendOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Flex, Form, Input, InputNumber, Radio, Result, Row, Select, Slider, Space, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { api, ApiError } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { RegionCascader } from '../components/RegionCascader.tsx';
import { demandBody, demandFieldOf, defaultDemandValues, type DemandFormValues, type FieldName, validateDemand } from '../features/market/format.ts';
import { RegionListInput } from '../features/market/RegionListInput.tsx';
import { type Demand, type FieldError, RESOURCE_KINDS, WEIGHT_TERMS } from '../features/market/types.ts';
import { TERM_COLORS } from '../features/market/ui.tsx';
import { useRequest } from '../hooks/useRequest.ts';
import { useI18n } from '../i18n.ts';
import { canPostDemand } from '../roles.ts';
import { type CatalogueAccelerator, PRECISIONS } from '../types.ts';

const samePath = (a: FieldName, b: FieldName) => a.length === b.length && a.every((x, i) => String(x) === String(b[i]));

/** A weight: a slider for the feel, a number for the exact value (one form field). */
function WeightInput({ value, onChange, color, testId, id }: { value?: number; onChange?: (value: number) => void; color: string; testId: string; id?: string }) {
  return (
    <Flex align="center" gap={12}>
      <Slider min={0} max={5} step={0.1} value={Math.min(5, value ?? 0)} onChange={(v: number) => onChange?.(v)} style={{ flex: 1 }} styles={{ track: { background: color } }} data-testid={testId} />
      <InputNumber id={id} min={0} max={100} step={0.1} value={value} onChange={(v) => onChange?.(typeof v === 'number' ? v : 0)} style={{ width: 76 }} data-testid={`${testId}-input`} />
    </Flex>
  );
}

export function DemandFormPage() {
  const { t, te } = useI18n();
  const { user } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const location = useLocation();
  const [form] = Form.useForm<DemandFormValues>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<{ detail: string; unplaced: string[] } | null>(null);
  const catalogue = useRequest((signal) => api<{ items: CatalogueAccelerator[] }>('/catalogue/accelerators', { signal, quiet: true }), []);
  const prefill = (location.state as { values?: DemandFormValues } | null)?.values;
  const initialValues = useMemo(() => prefill ?? defaultDemandValues(new Date()), [prefill]);
  const by = Form.useWatch('by', form) ?? initialValues.by;
  const timing = Form.useWatch('timing', form) ?? initialValues.timing;

  const values = () => ({ ...initialValues, ...(form.getFieldsValue(true) as DemandFormValues) });
  /** A rule that shows the client-side check (format.ts validateDemand) of one field. */
  const rule = (name: FieldName) => ({
    validator: async () => {
      const issue = validateDemand(values()).find((i) => samePath(i.name, name));
      if (issue) throw new Error(t(issue.key));
    },
  });

  const submit = async () => {
    setProblem(null);
    try {
      await form.validateFields();
    } catch (cause) {
      const errorFields = (cause as { errorFields?: { name: FieldName }[] }).errorFields ?? [];
      if (errorFields.length) {
        void message.error(t('form.fixErrors', { count: errorFields.length }));
        form.scrollToField(errorFields[0]!.name, { block: 'center' });
      }
      return;
    }
    const v = values();
    setBusy(true);
    try {
      const demand = await api<Demand>('/demands', { method: 'POST', body: demandBody(v), quiet: true });
      void message.success(t('market.demand.posted'));
      navigate(`/market/demands/${encodeURIComponent(demand.id)}`);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const placed: { name: FieldName; errors: string[] }[] = [];
      const unplaced: string[] = [];
      for (const e of error.errors as FieldError[]) {
        const name = demandFieldOf(e.path, v);
        if (name) {
          const existing = placed.find((p) => samePath(p.name, name));
          if (existing) existing.errors.push(e.message);
          else placed.push({ name, errors: [e.message] });
        } else unplaced.push(e.path ? `${e.path}: ${e.message}` : e.message);
      }
      if (placed.length) {
        form.setFields(placed as Parameters<typeof form.setFields>[0]);
        form.scrollToField(placed[0]!.name, { block: 'center' });
      }
      const detail = error.code === 'NETWORK' ? t('common.networkError') : (error.detail ?? t('common.unknownError', { status: error.status }));
      setProblem({ detail, unplaced });
      void message.error(detail);
    } finally {
      setBusy(false);
    }
  };

  if (!canPostDemand(user)) return <Result status="403" title={t('common.forbidden')} subTitle={t('market.demand.notDemander')} data-testid="demand-forbidden" />;

  return (
    <div data-testid="demand-form-page">
      <PageHeader title={t('market.demand.newTitle')} subtitle={t('market.demand.intro')} />
      <Flex vertical gap={16}>
        {prefill ? <Alert type="info" showIcon title={t('market.demand.prefilled')} data-testid="demand-prefilled" /> : null}
        {problem ? (
          <Alert
            type="error"
            showIcon
            closable={{ onClose: () => setProblem(null) }}
            title={t('form.serverErrors')}
            description={
              <Space orientation="vertical" size={2}>
                <span>{problem.detail}</span>
                {problem.unplaced.map((line) => (
                  <Typography.Text key={line} type="danger">
                    {line}
                  </Typography.Text>
                ))}
              </Space>
            }
            data-testid="server-problem"
          />
        ) : null}
        <Form<DemandFormValues> form={form} name="demand" layout="vertical" initialValues={initialValues} disabled={busy} scrollToFirstError={{ block: 'center' }}>
          <Flex vertical gap={16}>
            <Card title={t('market.demand.hard')} size="small">
              <Row gutter={16}>
                <Col xs={24} md={12}>
                  <Form.Item name="title" label={t('market.demand.titleLabel')} extra={t('market.demand.titleHint')}>
                    <Input maxLength={200} data-testid="demand-title" />
                  </Form.Item>
                </Col>
                <Col xs={24} md={12}>
                  <Form.Item name="resourceKind" label={t('market.kindLabel')} extra={t('market.demand.kindHint')}>
                    <Select allowClear options={RESOURCE_KINDS.map((k) => ({ value: k, label: te('market.kind', k) }))} data-testid="demand-kind" />
                  </Form.Item>
                </Col>
              </Row>
              <Form.Item name="by" label={t('market.demand.by')}>
                <Radio.Group
                  optionType="button"
                  options={[
                    { value: 'model', label: t('market.demand.byModel') },
                    { value: 'tflops', label: t('market.demand.byTflops') },
                  ]}
                  data-testid="demand-by"
                />
              </Form.Item>
              <Row gutter={16}>
                {by === 'model' ? (
                  <Col xs={24} md={8}>
                    <Form.Item name="acceleratorModel" label={t('field.model')} required rules={[rule(['acceleratorModel'])]}>
                      <Select
                        showSearch={{ optionFilterProp: 'label' }}
                        loading={catalogue.loading}
                        options={(catalogue.data?.items ?? []).map((a) => ({ value: a.model, label: `${a.model}${a.domestic ? ` · ${t('field.domestic')}` : ''}` }))}
                        placeholder="H200"
                        data-testid="demand-model"
                      />
                    </Form.Item>
                  </Col>
                ) : (
                  <>
                    <Col xs={12} md={4}>
                      <Form.Item name="minTflops" label={t('market.demand.minTflops')} required rules={[rule(['minTflops'])]}>
                        <InputNumber min={0} style={{ width: '100%' }} data-testid="demand-min-tflops" />
                      </Form.Item>
                    </Col>
                    <Col xs={12} md={4}>
                      <Form.Item name="precision" label={t('field.precision')} required rules={[rule(['precision'])]}>
                        <Select options={PRECISIONS.map((p) => ({ value: p, label: p.toUpperCase() }))} data-testid="demand-precision" />
                      </Form.Item>
                    </Col>
                  </>
                )}
                <Col xs={12} md={4}>
                  <Form.Item name="count" label={t('market.demand.count')} required rules={[rule(['count'])]}>
                    <InputNumber min={1} precision={0} style={{ width: '100%' }} data-testid="demand-count" />
                  </Form.Item>
                </Col>
                <Col xs={12} md={4}>
                  <Form.Item name="memoryGb" label={t('market.demand.memory')} rules={[rule(['memoryGb'])]}>
                    <InputNumber min={0} style={{ width: '100%' }} suffix="GB" data-testid="demand-memory" />
                  </Form.Item>
                </Col>
              </Row>
            </Card>

            <Card title={t('market.demand.when')} size="small">
              <Row gutter={16} align="bottom">
                <Col xs={24} md={7}>
                  <Form.Item name="start" label={t('market.demand.start')} required rules={[rule(['start'])]}>
                    <Input type="datetime-local" data-testid="demand-start" />
                  </Form.Item>
                </Col>
                <Col xs={24} md={6}>
                  <Form.Item name="timing" label={t('market.demand.timing')}>
                    <Radio.Group
                      optionType="button"
                      options={[
                        { value: 'duration', label: t('market.demand.byDuration') },
                        { value: 'end', label: t('market.demand.byEnd') },
                      ]}
                      data-testid="demand-timing"
                    />
                  </Form.Item>
                </Col>
                <Col xs={24} md={7}>
                  {timing === 'duration' ? (
                    <Form.Item name="durationHours" label={t('market.demand.duration')} required rules={[rule(['durationHours'])]}>
                      <InputNumber min={0} style={{ width: '100%' }} suffix={t('market.hoursUnit')} data-testid="demand-duration" />
                    </Form.Item>
                  ) : (
                    <Form.Item name="end" label={t('market.demand.end')} required dependencies={['start']} rules={[rule(['end'])]}>
                      <Input type="datetime-local" data-testid="demand-end" />
                    </Form.Item>
                  )}
                </Col>
              </Row>
            </Card>

            <Card title={t('market.demand.where')} size="small">
              <Row gutter={16}>
                <Col xs={24} md={12}>
                  <Form.Item name="latencyFrom" label={t('market.demand.latencyFrom')} rules={[rule(['latencyFrom'])]} dependencies={['latencyMaxMs']} extra={t('market.demand.latencyHint')}>
                    <RegionCascader deepest="city" changeOnSelect placeholder={t('market.demand.latencyFromPlaceholder')} style={{ width: '100%' }} testId="demand-latency-from" />
                  </Form.Item>
                </Col>
                <Col xs={24} md={6}>
                  <Form.Item name="latencyMaxMs" label={t('market.demand.latencyMax')} rules={[rule(['latencyMaxMs'])]} dependencies={['latencyFrom']}>
                    <InputNumber min={0} step={0.5} style={{ width: '100%' }} suffix="ms" data-testid="demand-latency-ms" />
                  </Form.Item>
                </Col>
              </Row>
              <Row gutter={16}>
                <Col xs={24} md={12}>
                  <Form.Item name="regionsAllowed" label={t('market.demand.regions')} extra={t('market.demand.regionsHint')}>
                    <RegionListInput placeholder={t('market.demand.regionPlaceholder')} testId="demand-regions" />
                  </Form.Item>
                </Col>
                <Col xs={24} md={12}>
                  <Form.Item name="dataResidency" label={t('market.demand.residency')} extra={t('market.demand.residencyHint')}>
                    <RegionCascader deepest="province" placeholder={t('market.demand.residencyPlaceholder')} style={{ width: 240 }} testId="demand-residency" />
                  </Form.Item>
                </Col>
              </Row>
            </Card>

            <Card title={t('market.demand.priceTitle')} size="small">
              <Form.Item name="maxPricePerUnit" label={t('market.demand.maxPrice')} rules={[rule(['maxPricePerUnit'])]} extra={t('market.demand.maxPriceHint')}>
                <InputNumber min={0} step={0.5} prefix="¥" style={{ width: 200 }} data-testid="demand-max-price" />
              </Form.Item>
            </Card>

            <Card title={t('market.demand.weights')} size="small" extra={<Typography.Text type="secondary">{t('market.demand.weightsHint')}</Typography.Text>}>
              <Row gutter={[24, 0]}>
                {WEIGHT_TERMS.map((term) => (
                  <Col key={term} xs={24} md={12} xl={8}>
                    <Form.Item name={['weights', term]} label={te('market.term', term)} extra={te('market.termHelp', term)} rules={[rule(['weights', term])]}>
                      <WeightInput color={TERM_COLORS[term]} testId={`weight-${term}`} />
                    </Form.Item>
                  </Col>
                ))}
              </Row>
            </Card>
          </Flex>
        </Form>
        <Card size="small" style={{ position: 'sticky', bottom: 0, zIndex: 5, boxShadow: '0 -2px 8px rgba(15,23,42,0.06)' }}>
          <Flex justify="flex-end" gap={8}>
            <Button onClick={() => navigate(-1)}>{t('common.cancel')}</Button>
            <Button type="primary" icon={<SendOutlined />} loading={busy} onClick={() => void submit()} data-testid="demand-submit">
              {t('market.demand.submit')}
            </Button>
          </Flex>
        </Card>
      </Flex>
    </div>
  );
}
