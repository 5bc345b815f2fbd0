import { Card, Descriptions, Empty, Flex, Table, Tag, Typography } from 'antd';
import type { DescriptionsProps, TableColumnsType } from 'antd';
import { RegionName } from '../../components/RegionName.tsx';
import { FacilityKindTag, FacilityStatusTag } from '../../components/Tags.tsx';
import { formatDateTime, formatFlops, formatNumber, formatPct, formatPercent, formatPue } from '../../format.ts';
import { useI18n } from '../../i18n.ts';
import { PRECISIONS, type AcceleratorLine, type Contact, type Facility } from '../../types.ts';

/** Every field of a ledger facility, in the sections of the registration form. */
export function FacilityDescriptions({ facility }: { facility: Facility }) {
  const { t, lang } = useI18n();

  const basic: DescriptionsProps['items'] = [
    { key: 'computeId', label: t('field.computeId'), children: <Typography.Text copyable data-testid="detail-compute-id">{facility.computeId}</Typography.Text> },
    { key: 'name', label: t('field.name'), children: <span data-testid="detail-name">{facility.name}</span> },
    {
      key: 'region',
      label: t('field.region'),
      children: (
        <span>
          <RegionName code={facility.regionCode} fallback={facility.regionName} /> <Typography.Text type="secondary">({facility.regionCode})</Typography.Text>
        </span>
      ),
    },
    { key: 'address', label: t('field.address'), children: facility.address || '—' },
    {
      key: 'coordinates',
      label: `${t('field.lon')} / ${t('field.lat')}`,
      children: facility.lon !== null && facility.lat !== null ? `${facility.lon}, ${facility.lat}` : '—',
    },
    { key: 'owner', label: t('field.owner'), children: facility.ownerOrgName || facility.ownerOrgId },
    { key: 'status', label: t('field.status'), children: <FacilityStatusTag status={facility.status} /> },
    { key: 'kind', label: t('field.kind'), children: <FacilityKindTag kind={facility.kind} /> },
    { key: 'version', label: t('field.version'), children: `v${facility.version}` },
    { key: 'createdAt', label: t('field.createdAt'), children: formatDateTime(facility.createdAt, lang) },
    { key: 'updatedAt', label: t('field.updatedAt'), children: formatDateTime(facility.updatedAt, lang) },
  ];

  const capacity: DescriptionsProps['items'] = [
    { key: 'racksDesigned', label: t('field.racksDesigned'), children: `${formatNumber(facility.racksDesigned, lang)} ${t('unit.racks')}` },
    { key: 'racksInUse', label: t('field.racksInUse'), children: `${formatNumber(facility.racksInUse, lang)} ${t('unit.racks')}` },
    { key: 'rackUtilization', label: t('field.rackUtilization'), children: formatPercent(facility.rackUtilization) },
    {
      key: 'designedPowerKw',
      label: t('field.designedPowerKw'),
      children: facility.designedPowerKw === null || facility.designedPowerKw === undefined ? '—' : `${formatNumber(facility.designedPowerKw, lang)} kW`,
    },
    { key: 'storagePb', label: t('field.storagePb'), children: `${formatNumber(facility.storagePb, lang, 2)} PB` },
    { key: 'advancedStoragePct', label: t('field.advancedStoragePct'), children: formatPct(facility.advancedStoragePct) },
    { key: 'egressGbps', label: t('field.egressGbps'), children: `${formatNumber(facility.egressGbps, lang, 1)} Gbps` },
  ];

  const energy: DescriptionsProps['items'] = [
    { key: 'pueDesign', label: t('field.pueDesign'), children: formatPue(facility.pueDesign) },
    { key: 'pueMeasured', label: t('field.pueMeasured'), children: formatPue(facility.pueMeasured) },
    { key: 'annualKwh', label: t('field.annualKwh'), children: `${formatNumber(facility.annualKwh, lang)} kWh` },
    { key: 'greenPowerPct', label: t('field.greenPowerPct'), children: formatPct(facility.greenPowerPct) },
  ];

  const computeRows = [
    ...PRECISIONS.map((p) => ({ key: p, precision: t(`field.${p}`), tflops: facility.compute?.[p] ?? 0 })),
    { key: 'fp32eq', precision: t('field.fp32Equivalent'), tflops: facility.fp32Equivalent },
  ];

  const acceleratorColumns: TableColumnsType<AcceleratorLine> = [
    { title: t('field.model'), dataIndex: 'model', key: 'model' },
    { title: t('field.vendor'), dataIndex: 'vendor', key: 'vendor' },
    { title: t('field.count'), dataIndex: 'count', key: 'count', align: 'right', render: (v: number) => formatNumber(v, lang) },
    { title: t('field.domestic'), dataIndex: 'domestic', key: 'domestic', render: (v: boolean) => (v ? <Tag color="red">{t('field.domestic')}</Tag> : '—') },
  ];

  const contactColumns: TableColumnsType<Contact> = [
    { title: t('field.contactName'), dataIndex: 'name', key: 'name' },
    { title: t('field.contactPhone'), dataIndex: 'phone', key: 'phone', render: (v?: string) => v || '—' },
    { title: t('field.contactEmail'), dataIndex: 'email', key: 'email', render: (v?: string) => (v ? <a href={`mailto:${v}`}>{v}</a> : '—') },
  ];

  return (
    <Flex vertical gap={16}>
      <Card title={t('detail.basic')}>
        <Descriptions items={basic} column={{ xs: 1, md: 2, xl: 3 }} bordered size="small" data-testid="detail-basic" />
      </Card>
      <Card title={t('detail.capacity')}>
        <Descriptions items={capacity} column={{ xs: 1, md: 2, xl: 3 }} bordered size="small" />
      </Card>
      <Card title={t('detail.compute')}>
        <Flex vertical gap={16}>
          <Table
            rowKey="key"
            size="small"
            pagination={false}
            dataSource={computeRows}
            columns={[
              { title: t('field.precision'), dataIndex: 'precision', key: 'precision' },
              { title: 'TFLOPS', dataIndex: 'tflops', key: 'tflops', align: 'right', render: (v: number) => formatNumber(v, lang, 1) },
              { title: '', dataIndex: 'tflops', key: 'scaled', align: 'right', render: (v: number) => formatFlops(v, lang) },
            ]}
          />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('detail.computeNote')}
          </Typography.Text>
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('field.accelerators')}
          </Typography.Title>
          <Table<AcceleratorLine>
            rowKey={(line) => `${line.vendor}/${line.model}`}
            size="small"
            pagination={false}
            dataSource={facility.accelerators ?? []}
            columns={acceleratorColumns}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('detail.noAccelerators')} /> }}
            data-testid="detail-accelerators"
          />
        </Flex>
      </Card>
      <Card title={t('detail.energy')}>
        <Descriptions items={energy} column={{ xs: 1, md: 2, xl: 4 }} bordered size="small" />
      </Card>
      <Card title={t('detail.contacts')}>
        <Table<Contact>
          rowKey={(c) => `${c.name}/${c.phone ?? ''}/${c.email ?? ''}`}
          size="small"
          pagination={false}
          dataSource={facility.contacts ?? []}
          columns={contactColumns}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('detail.noContacts')} /> }}
        />
      </Card>
    </Flex>
  );
}
