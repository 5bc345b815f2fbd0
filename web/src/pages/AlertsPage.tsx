import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Badge, Button, Card, Empty, Flex, Select, Segmented, Space, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../api.ts';
import { CursorTable } from '../components/CursorTable.tsx';
import { ErrorState } from '../components/ErrorState.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { RegionName } from '../components/RegionName.tsx';
import { RuleFormModal } from '../features/alerts/RuleFormModal.tsx';
import { formatAlertValue, formatMetricValue, formatSeconds } from '../features/alerts/format.ts';
import type { Alert, AlertRule, AlertState, Severity } from '../features/alerts/types.ts';
import { formatDateTime } from '../format.ts';
import { useCursorStack } from '../hooks/useCursorStack.ts';
import { useRequest } from '../hooks/useRequest.ts';
import { useAuth } from '../auth.tsx';
import { useI18n } from '../i18n.ts';
import { canSeeAlerts } from '../roles.ts';
import type { Page } from '../types.ts';

const STATE_FILTERS = ['open', 'firing', 'pending', 'resolved', 'all'] as const;
type StateFilter = (typeof STATE_FILTERS)[number];
const SEVERITIES: Severity[] = ['critical', 'warning', 'info'];
const LIMIT = 20;

const SEVERITY_COLORS: Record<Severity, string> = { critical: 'red', warning: 'orange', info: 'blue' };
const STATE_BADGES: Record<AlertState, 'error' | 'warning' | 'success'> = { firing: 'error', pending: 'warning', resolved: 'success' };

function SeverityTag({ severity }: { severity: Severity }) {
  const { te } = useI18n();
  return (
    <Tag color={SEVERITY_COLORS[severity] ?? 'default'} data-testid={`alert-severity-${severity}`}>
      {te('alerts.severity', severity)}
    </Tag>
  );
}

function AlertList() {
  const { t, te, lang } = useI18n();
  const [params, setParams] = useSearchParams();
  const stateParam = params.get('state') as StateFilter | null;
  const state: StateFilter = stateParam && STATE_FILTERS.includes(stateParam) ? stateParam : 'open';
  const severityParam = params.get('severity') as Severity | null;
  const severity = severityParam && SEVERITIES.includes(severityParam) ? severityParam : undefined;
  const pages = useCursorStack(`${state}:${severity ?? ''}`);
  const list = useRequest(
    (signal) => api<Page<Alert>>('/alerts', { query: { state: state === 'all' ? undefined : state, severity, limit: LIMIT, cursor: pages.cursor }, signal }),
    [state, severity, pages.cursor],
  );
  const setFilter = (next: { state?: StateFilter; severity?: Severity | undefined }) => {
    const merged = { state, severity, ...next };
    const query: Record<string, string> = {};
    if (merged.state !== 'open') query.state = merged.state;
    if (merged.severity) query.severity = merged.severity;
    setParams(query, { replace: true });
  };

  const columns: TableColumnsType<Alert> = [
    {
      title: t('alerts.state'),
      key: 'state',
      width: 110,
      render: (_, a) => <Badge status={STATE_BADGES[a.state]} text={<span data-testid={`alert-state-${a.state}`}>{te('alerts.state', a.state)}</span>} />,
    },
    { title: t('alerts.severity'), key: 'severity', width: 90, render: (_, a) => <SeverityTag severity={a.severity} /> },
    {
      title: t('alerts.facility'),
      key: 'facility',
      render: (_, a) => (
        <Flex vertical>
          <Link to={`/facilities/${encodeURIComponent(a.facilityId)}`} data-testid={`alert-facility-${a.id}`}>
            {a.facilityName}
          </Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {a.computeId}
          </Typography.Text>
        </Flex>
      ),
    },
    { title: t('field.region'), key: 'region', render: (_, a) => <RegionName code={a.regionCode} tail={2} /> },
    {
      title: t('alerts.rule'),
      key: 'rule',
      render: (_, a) => (
        <Flex vertical>
          <span>{a.ruleName}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {te('alerts.kind', a.kind)}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('alerts.value'),
      key: 'value',
      render: (_, a) => (
        <Tooltip title={a.summary}>
          <span data-testid="alert-value">{formatAlertValue(a.kind, a.metric, a.comparison, a.value, a.threshold, lang)}</span>
        </Tooltip>
      ),
    },
    {
      title: t('alerts.since'),
      key: 'since',
      render: (_, a) => (
        <Flex vertical>
          <span>{formatDateTime(a.firedAt ?? a.startedAt, lang)}</span>
          {a.resolvedAt ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('alerts.resolvedAt', { time: formatDateTime(a.resolvedAt, lang) })}
            </Typography.Text>
          ) : null}
        </Flex>
      ),
    },
  ];

  return (
    <>
      <Flex justify="space-between" align="center" wrap gap={12} style={{ marginBottom: 16 }}>
        <Space wrap>
          <Segmented<StateFilter>
            value={state}
            onChange={(value) => setFilter({ state: value })}
            options={STATE_FILTERS.map((s) => ({ value: s, label: s === 'all' ? t('common.all') : te('alerts.filter', s) }))}
            data-testid="alert-state-filter"
          />
          <Select<Severity | 'all'>
            value={severity ?? 'all'}
            style={{ width: 140 }}
            onChange={(value) => setFilter({ severity: value === 'all' ? undefined : value })}
            options={[{ value: 'all', label: t('alerts.allSeverities') }, ...SEVERITIES.map((s) => ({ value: s, label: te('alerts.severity', s) }))]}
            data-testid="alert-severity-filter"
          />
        </Space>
        <Button icon={<ReloadOutlined />} onClick={list.reload}>
          {t('common.refresh')}
        </Button>
      </Flex>
      <CursorTable<Alert>
        list={list}
        pages={pages}
        testId="alerts-table"
        rowKey="id"
        columns={columns}
        size="middle"
        scroll={{ x: 1000 }}
        onRow={(a) => ({ 'data-testid': `alert-row-${a.id}`, 'data-state': a.state }) as React.HTMLAttributes<HTMLElement>}
        empty={t('alerts.empty')}
        emptyTestId="alerts-empty"
        totalTestId="alerts-total"
        refresh={false}
      />
    </>
  );
}

function RuleList() {
  const { t, te, lang } = useI18n();
  const { user } = useAuth();
  const [creating, setCreating] = useState(false);
  const rules = useRequest((signal) => api<Page<AlertRule>>('/alert-rules', { signal }), []);

  const condition = (r: AlertRule): string => {
    const window = formatSeconds(r.windowSeconds, lang);
    switch (r.kind) {
      case 'absence':
        return t('alerts.cond.absence', { window });
      case 'pue_target':
        return r.threshold === null ? t('alerts.cond.pueNational', { window }) : t('alerts.cond.pue', { threshold: formatMetricValue('pue', r.threshold), window });
      case 'utilisation_target':
        return t('alerts.cond.utilisation', { threshold: formatMetricValue('rack_utilization', r.threshold), window });
      default:
        return `${r.metric} ${r.comparison} ${formatMetricValue(r.metric, r.threshold)}`;
    }
  };

  const columns: TableColumnsType<AlertRule> = [
    { title: t('alerts.ruleName'), dataIndex: 'name', key: 'name' },
    { title: t('alerts.kindTitle'), key: 'kind', render: (_, r) => te('alerts.kind', r.kind) },
    { title: t('alerts.condition'), key: 'condition', render: (_, r) => <span data-testid="rule-condition">{condition(r)}</span> },
    { title: t('alerts.for'), key: 'for', render: (_, r) => (r.forSeconds === 0 ? t('alerts.atOnce') : formatSeconds(r.forSeconds, lang)) },
    {
      title: t('alerts.scope'),
      key: 'scope',
      render: (_, r) =>
        r.facilityId ? (
          <Link to={`/facilities/${encodeURIComponent(r.facilityId)}`}>{t('alerts.oneFacility')}</Link>
        ) : r.regionCode === '000000' ? (
          t('overview.national')
        ) : (
          <RegionName code={r.regionCode} />
        ),
    },
    { title: t('alerts.severity'), key: 'severity', render: (_, r) => <SeverityTag severity={r.severity} /> },
    { title: t('alerts.webhook'), key: 'webhook', render: (_, r) => (r.webhookUrl ? <Tooltip title={r.webhookUrl}>{t('common.yes')}</Tooltip> : t('common.no')) },
    { title: t('alerts.enabled'), key: 'enabled', render: (_, r) => (r.enabled ? <Tag color="green">{t('alerts.on')}</Tag> : <Tag>{t('alerts.off')}</Tag>) },
  ];

  if (rules.error && !rules.data) return <ErrorState error={rules.error} onRetry={rules.reload} />;
  return (
    <>
      {canSeeAlerts(user) ? (
        <Flex justify="flex-end" style={{ marginBottom: 16 }}>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="new-rule">
            {t('alerts.newRule')}
          </Button>
        </Flex>
      ) : null}
      <Table<AlertRule>
        rowKey="id"
        columns={columns}
        dataSource={rules.data?.items ?? []}
        loading={rules.loading}
        pagination={false}
        scroll={{ x: 1000 }}
        size="middle"
        data-testid="alert-rules-table"
        onRow={(r) => ({ 'data-testid': `alert-rule-row-${r.id}` }) as React.HTMLAttributes<HTMLElement>}
        locale={{ emptyText: rules.loading ? <div style={{ height: 120 }} /> : <Empty description={t('alerts.noRules')} /> }}
      />
      <RuleFormModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={() => {
          setCreating(false);
          rules.reload();
        }}
      />
    </>
  );
}

export function AlertsPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'rules' ? 'rules' : 'alerts';
  return (
    <div data-testid="alerts-page">
      <PageHeader title={t('alerts.title')} subtitle={t('alerts.subtitle')} />
      <Card>
        <Tabs
          activeKey={tab}
          onChange={(key) => setParams(key === 'rules' ? { tab: 'rules' } : {}, { replace: true })}
          items={[
            { key: 'alerts', label: <span data-testid="alerts-tab">{t('alerts.tabAlerts')}</span>, children: tab === 'alerts' ? <AlertList /> : null },
            { key: 'rules', label: <span data-testid="alert-rules-tab">{t('alerts.tabRules')}</span>, children: tab === 'rules' ? <RuleList /> : null },
          ]}
        />
      </Card>
    </div>
  );
}
