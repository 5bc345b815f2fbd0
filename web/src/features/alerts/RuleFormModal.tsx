import { App, Form, Input, InputNumber, Modal, Radio, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { api, ApiError } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { RegionCascader } from '../../components/RegionCascader.tsx';
import { useRequest } from '../../hooks/useRequest.ts';
import { useI18n } from '../../i18n.ts';
import { isGovernment, isSupplier } from '../../roles.ts';
import type { Facility, Page } from '../../types.ts';
import type { AlertKind, AlertRule, Severity } from './types.ts';

const KINDS: AlertKind[] = ['pue_target', 'utilisation_target', 'absence', 'threshold'];
const METRICS = ['pue', 'rack_utilization', 'it_power_kw', 'cpu_utilization', 'accelerator_utilization', 'accelerators_healthy', 'accelerators_total', 'availability', 'egress_gbps'];
const COMPARISONS = ['>', '>=', '<', '<='];
const SEVERITIES: Severity[] = ['critical', 'warning', 'info'];
/** Default windows in minutes: absence 10 min, the targets a day. */
const DEFAULT_WINDOW: Partial<Record<AlertKind, number>> = { absence: 10, pue_target: 1440, utilisation_target: 1440 };

interface Values {
  name: string;
  kind: AlertKind;
  metric?: string;
  comparison?: string;
  threshold?: number | null;
  forMinutes?: number;
  windowMinutes?: number;
  scope: 'facility' | 'region' | 'country';
  facilityId?: string;
  regionCode?: string;
  severity: Severity;
  webhookUrl?: string;
}

/** Server field (JSON pointer) → form field. */
const FIELDS: Record<string, keyof Values> = {
  '/name': 'name',
  '/metric': 'metric',
  '/comparison': 'comparison',
  '/threshold': 'threshold',
  '/forSeconds': 'forMinutes',
  '/windowSeconds': 'windowMinutes',
  '/facilityId': 'facilityId',
  '/regionCode': 'regionCode',
  '/severity': 'severity',
  '/webhookUrl': 'webhookUrl',
};

function FacilityPicker({ value, onChange }: { value?: string; onChange?: (id: string) => void }) {
  const { user } = useAuth();
  const [q, setQ] = useState('');
  // A supplier picks among its own facilities; a reviewer or an administrator searches the ledger.
  const owner = user && isSupplier(user) && !user.isAdmin ? user.orgId : undefined;
  const list = useRequest((signal) => api<Page<Facility>>('/facilities', { query: { q: q || undefined, owner, limit: 50 }, signal, quiet: true }), [q, owner]);
  return (
    <Select
      showSearch={{ filterOption: false, onSearch: setQ }}
      value={value}
      onChange={onChange}
      loading={list.loading}
      options={(list.data?.items ?? []).map((f) => ({ value: f.id, label: `${f.name} · ${f.computeId}` }))}
      data-testid="rule-facility"
    />
  );
}

/** Creates an alert rule; the webhook secret is shown once afterwards. */
export function RuleFormModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (rule: AlertRule) => void }) {
  const { t, te } = useI18n();
  const { user } = useAuth();
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const kind = Form.useWatch('kind', form) ?? 'pue_target';
  const scope = Form.useWatch('scope', form) ?? 'facility';
  const national = !!user && (user.isAdmin || (isGovernment(user) && user.jurisdictionCode === '000000') || isSupplier(user));

  const submit = async () => {
    const v = await form.validateFields();
    const body: Record<string, unknown> = { name: v.name.trim(), kind: v.kind, severity: v.severity };
    if (v.kind === 'threshold') Object.assign(body, { metric: v.metric, comparison: v.comparison });
    if (v.threshold !== undefined && v.threshold !== null && v.kind !== 'absence') body.threshold = v.threshold;
    if (v.forMinutes !== undefined && v.forMinutes !== null) body.forSeconds = Math.round(v.forMinutes * 60);
    if (v.kind !== 'threshold' && v.windowMinutes) body.windowSeconds = Math.round(v.windowMinutes * 60);
    if (v.scope === 'facility') body.facilityId = v.facilityId;
    else body.regionCode = v.scope === 'country' ? '000000' : v.regionCode;
    if (v.webhookUrl?.trim()) body.webhookUrl = v.webhookUrl.trim();
    setBusy(true);
    try {
      const created = await api<AlertRule & { webhookSecret: string }>('/alert-rules', { method: 'POST', body, quiet: true });
      form.resetFields();
      onCreated(created);
      if (created.webhookUrl) {
        modal.success({
          title: t('alerts.secretTitle'),
          content: (
            <>
              <Typography.Paragraph>{t('alerts.secretHint')}</Typography.Paragraph>
              <Typography.Text code copyable data-testid="rule-secret">
                {created.webhookSecret}
              </Typography.Text>
            </>
          ),
        });
      } else {
        void message.success(t('alerts.created'));
      }
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const fields = error.errors.filter((e) => FIELDS[e.path]).map((e) => ({ name: FIELDS[e.path]!, errors: [e.message] }));
      if (fields.length) form.setFields(fields as Parameters<typeof form.setFields>[0]);
      void message.error(error.code === 'NETWORK' ? t('common.networkError') : (error.detail ?? t('common.unknownError', { status: error.status })));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('alerts.newRule')}
      okText={t('alerts.create')}
      cancelText={t('common.cancel')}
      onOk={() => void submit().catch(() => {})}
      onCancel={onClose}
      okButtonProps={{ loading: busy, ...({ 'data-testid': 'rule-submit' } as object) }}
      destroyOnHidden
      width={560}
    >
      <Form<Values>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ kind: 'pue_target', severity: 'warning', scope: isSupplier(user) ? 'facility' : 'region', comparison: '>', metric: 'pue', windowMinutes: DEFAULT_WINDOW.pue_target }}
        onValuesChange={(changed: Partial<Values>) => {
          if (changed.kind) form.setFieldsValue({ windowMinutes: DEFAULT_WINDOW[changed.kind], threshold: changed.kind === 'utilisation_target' ? 0.6 : undefined });
        }}
      >
        <Form.Item name="name" label={t('alerts.ruleName')} rules={[{ required: true, whitespace: true, message: t('alerts.nameRequired') }]}>
          <Input maxLength={200} data-testid="rule-name" />
        </Form.Item>
        <Form.Item name="kind" label={t('alerts.kindTitle')}>
          <Select options={KINDS.map((k) => ({ value: k, label: te('alerts.kind', k) }))} data-testid="rule-kind" />
        </Form.Item>
        {kind === 'threshold' ? (
          <Form.Item label={t('alerts.condition')} required style={{ marginBottom: 0 }}>
            <Space.Compact block>
              <Form.Item name="metric" noStyle rules={[{ required: true }]}>
                <Select style={{ width: '50%' }} options={METRICS.map((m) => ({ value: m, label: m }))} />
              </Form.Item>
              <Form.Item name="comparison" noStyle rules={[{ required: true }]}>
                <Select style={{ width: '20%' }} options={COMPARISONS.map((c) => ({ value: c, label: c }))} />
              </Form.Item>
              <Form.Item name="threshold" noStyle rules={[{ required: true, message: t('alerts.thresholdRequired') }]}>
                <InputNumber style={{ width: '30%' }} data-testid="rule-threshold" />
              </Form.Item>
            </Space.Compact>
          </Form.Item>
        ) : kind === 'absence' ? null : (
          <Form.Item name="threshold" label={t('alerts.threshold')} extra={kind === 'pue_target' ? t('alerts.pueTargetHint') : t('alerts.utilisationTargetHint')}>
            <InputNumber min={kind === 'pue_target' ? 1 : 0} step={kind === 'pue_target' ? 0.05 : 0.05} style={{ width: 160 }} data-testid="rule-threshold" />
          </Form.Item>
        )}
        {kind === 'threshold' ? null : (
          <Form.Item name="windowMinutes" label={kind === 'absence' ? t('alerts.silenceMinutes') : t('alerts.windowMinutes')}>
            <InputNumber min={kind === 'absence' ? 1 : 5} max={44_640} style={{ width: 160 }} />
          </Form.Item>
        )}
        <Form.Item name="forMinutes" label={t('alerts.forMinutes')} extra={t('alerts.forHint')}>
          <InputNumber min={0} max={10_080} style={{ width: 160 }} placeholder={kind === 'threshold' ? '5' : '0'} />
        </Form.Item>
        <Form.Item name="scope" label={t('alerts.scope')}>
          <Radio.Group
            options={[
              { value: 'facility', label: t('alerts.oneFacility') },
              { value: 'region', label: t('alerts.region') },
              ...(national ? [{ value: 'country', label: t('overview.national') }] : []),
            ]}
            data-testid="rule-scope"
          />
        </Form.Item>
        {scope === 'facility' ? (
          <Form.Item name="facilityId" label={t('alerts.facility')} rules={[{ required: true, message: t('alerts.facilityRequired') }]}>
            <FacilityPicker />
          </Form.Item>
        ) : scope === 'region' ? (
          <Form.Item name="regionCode" label={t('field.region')} rules={[{ required: true, message: t('alerts.regionRequired') }]} extra={isSupplier(user) ? t('alerts.supplierRegionHint') : undefined}>
            <RegionCascader changeOnSelect deepest="county" />
          </Form.Item>
        ) : null}
        <Form.Item name="severity" label={t('alerts.severity')}>
          <Select options={SEVERITIES.map((s) => ({ value: s, label: te('alerts.severity', s) }))} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="webhookUrl" label={t('alerts.webhook')} extra={t('alerts.webhookHint')} rules={[{ type: 'url', message: t('alerts.webhookInvalid') }]}>
          <Input placeholder="https://hooks.example.cn/suanli" maxLength={2000} data-testid="rule-webhook" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
