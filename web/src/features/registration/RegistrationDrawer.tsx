import { Alert, Descriptions, Drawer, Empty, Flex, Skeleton, Table, Tag, Typography } from 'antd';
import type { DescriptionsProps } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { api } from '../../api.ts';
import { RegionName } from '../../components/RegionName.tsx';
import { RegistrationStatusTag } from '../../components/Tags.tsx';
import { formatDateTime } from '../../format.ts';
import { useRequest } from '../../hooks/useRequest.ts';
import { useI18n } from '../../i18n.ts';
import type { Facility, Registration } from '../../types.ts';
import { changedFields, comparableChange, FIELD_ORDER } from '../ledger/diff.ts';
import { displayValue, fieldLabel } from '../ledger/display.ts';

export interface RegistrationDrawerProps {
  registration: Registration | null;
  onClose: () => void;
  actions?: ReactNode;
}

/** One registration: who filed it, the data, and for a change the difference from the ledger. */
export function RegistrationDrawer({ registration, onClose, actions }: RegistrationDrawerProps) {
  const { t, te, lang } = useI18n();
  const facilityId = registration?.type === 'change' ? registration.facilityId : null;
  const current = useRequest((signal) => api<Facility>(`/facilities/${encodeURIComponent(facilityId ?? '')}`, { signal, quiet: true }), [facilityId], Boolean(facilityId));

  const meta: DescriptionsProps['items'] = registration
    ? [
        { key: 'id', label: 'ID', children: <Typography.Text copyable>{registration.id}</Typography.Text> },
        { key: 'type', label: t('reg.type'), children: te('regType', registration.type) },
        { key: 'status', label: t('field.status'), children: <RegistrationStatusTag status={registration.status} /> },
        { key: 'computeId', label: t('field.computeId'), children: registration.computeId ?? '—' },
        { key: 'org', label: t('reg.org'), children: registration.orgName || registration.orgId },
        { key: 'region', label: t('field.region'), children: <RegionName code={registration.regionCode} fallback={registration.regionName} /> },
        { key: 'createdBy', label: t('reg.createdBy'), children: registration.createdByName || registration.createdBy },
        { key: 'createdAt', label: t('field.createdAt'), children: formatDateTime(registration.createdAt, lang) },
        { key: 'submittedAt', label: t('reg.submittedAt'), children: formatDateTime(registration.submittedAt, lang) },
        { key: 'decidedBy', label: t('reg.decidedBy'), children: registration.decidedByName || registration.decidedBy || '—' },
        { key: 'decidedAt', label: t('reg.decidedAt'), children: formatDateTime(registration.decidedAt, lang) },
        ...(registration.reason ? [{ key: 'reason', label: t('reg.reason'), children: registration.reason, span: 2 }] : []),
      ]
    : [];

  const data = (registration?.data ?? {}) as unknown as Record<string, unknown>;
  const dataRows = FIELD_ORDER.filter((field) => field in data).map((field) => ({ field, value: data[field] }));

  const currentData = current.data as unknown as Record<string, unknown> | undefined;
  const comparable = currentData ? comparableChange(currentData, data) : null;
  const diff = comparable ? changedFields(comparable.before, comparable.after, { onlyAfterKeys: true }) : [];

  return (
    <Drawer
      open={registration !== null}
      onClose={onClose}
      size={760}
      title={registration ? `${t('reg.detail')} · ${registration.data?.name ?? registration.id}` : t('reg.detail')}
      extra={actions}
      destroyOnHidden
      data-testid="registration-drawer"
    >
      {registration ? (
        <Flex vertical gap={20}>
          <Descriptions items={meta} column={2} size="small" bordered />
          {registration.status === 'approved' && registration.facilityId ? (
            <Link to={`/facilities/${encodeURIComponent(registration.facilityId)}`}>{t('reg.openFacility')}</Link>
          ) : null}
          {registration.type === 'change' ? (
            <div>
              <Typography.Title level={5}>{t('reg.diff')}</Typography.Title>
              {current.loading ? (
                <Skeleton active />
              ) : current.error || !currentData ? (
                <Alert type="warning" showIcon title={t('reg.currentMissing')} />
              ) : diff.length === 0 ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('reg.noDiff')} />
              ) : (
                <Table
                  size="small"
                  rowKey="field"
                  pagination={false}
                  dataSource={diff}
                  data-testid="registration-diff"
                  columns={[
                    { title: t('reg.diffField'), dataIndex: 'field', key: 'field', width: 150, render: (f: string) => fieldLabel(lang, f, 'proposal') },
                    {
                      title: t('reg.diffCurrent', { version: String(currentData.version ?? '') }),
                      dataIndex: 'before',
                      key: 'before',
                      render: (v: unknown, row) => <Typography.Text type="secondary">{displayValue(lang, row.field, v)}</Typography.Text>,
                    },
                    {
                      title: t('reg.diffProposed'),
                      dataIndex: 'after',
                      key: 'after',
                      render: (v: unknown, row) => <Tag color="gold">{displayValue(lang, row.field, v)}</Tag>,
                    },
                  ]}
                />
              )}
            </div>
          ) : null}
          <div>
            <Typography.Title level={5}>{t('reg.data')}</Typography.Title>
            <Descriptions
              size="small"
              bordered
              column={1}
              items={dataRows.map((row) => ({
                key: row.field,
                label: fieldLabel(lang, row.field, 'proposal'),
                children: row.field === 'regionCode' ? <RegionName code={String(row.value)} /> : displayValue(lang, row.field, row.value),
              }))}
            />
          </div>
        </Flex>
      ) : null}
    </Drawer>
  );
}
