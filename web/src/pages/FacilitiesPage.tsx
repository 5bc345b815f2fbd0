import { DownloadOutlined, LeftOutlined, ReloadOutlined, RightOutlined } from '@ant-design/icons';
import { App, Button, Card, Empty, Flex, Input, Select, Space, Table, Tooltip, Typography } from 'antd';
import type { TableColumnsType, TableProps } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, downloadFile } from '../api.ts';
import { ErrorState } from '../components/ErrorState.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { RegionCascader } from '../components/RegionCascader.tsx';
import { RegionName } from '../components/RegionName.tsx';
import { FacilityKindTag, FacilityStatusTag } from '../components/Tags.tsx';
import { formatNumber, formatPercent, formatPue } from '../format.ts';
import { useRequest } from '../hooks/useRequest.ts';
import { useI18n } from '../i18n.ts';
import { FACILITY_KINDS, FACILITY_STATUSES, type Facility, type Page } from '../types.ts';

const SORTABLE = ['computeId', 'name', 'racksDesigned', 'rackUtilization', 'updatedAt'] as const;
type SortField = (typeof SORTABLE)[number];
const PAGE_SIZES = [20, 50, 100];

function parseSort(sort: string | null): { field: SortField; order: 'ascend' | 'descend' } | null {
  if (!sort) return null;
  const descending = sort.startsWith('-');
  const field = (descending ? sort.slice(1) : sort) as SortField;
  return SORTABLE.includes(field) ? { field, order: descending ? 'descend' : 'ascend' } : null;
}

interface CursorStack {
  key: string;
  stack: (string | null)[];
}

/** Rack utilisation as a figure with a slim bar; below 50% (a reported pain point) in amber. */
function UtilisationCell({ ratio }: { ratio: number | null | undefined }) {
  if (ratio === null || ratio === undefined) return <>—</>;
  const clamped = Math.max(0, Math.min(1, ratio));
  const colour = ratio < 0.5 ? '#f59e0b' : '#2563eb';
  return (
    <Flex align="center" gap={6} justify="flex-end" style={{ whiteSpace: 'nowrap' }}>
      <span aria-hidden style={{ display: 'inline-block', width: 36, height: 6, borderRadius: 3, background: '#e5e7eb', overflow: 'hidden' }}>
        <span style={{ display: 'block', width: `${clamped * 100}%`, height: '100%', background: colour }} />
      </span>
      <span style={{ minWidth: 44, textAlign: 'right' }}>{formatPercent(ratio)}</span>
    </Flex>
  );
}

export function FacilitiesPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const filters = {
    region: params.get('region') ?? undefined,
    status: params.get('status') ?? undefined,
    kind: params.get('kind') ?? undefined,
    q: params.get('q') ?? undefined,
    sort: params.get('sort') ?? undefined,
  };
  const limit = PAGE_SIZES.includes(Number(params.get('limit'))) ? Number(params.get('limit')) : PAGE_SIZES[0]!;
  const filterKey = JSON.stringify([filters, limit]);

  // Cursor pagination: the cursors of the pages visited so far; reset whenever the filters change.
  const [cursors, setCursors] = useState<CursorStack>({ key: filterKey, stack: [null] });
  const stack = cursors.key === filterKey ? cursors.stack : [null];
  const cursor = stack[stack.length - 1] ?? null;
  const pageNumber = stack.length;

  const list = useRequest(
    (signal) => api<Page<Facility>>('/facilities', { query: { ...filters, limit, cursor }, signal }),
    [filterKey, cursor],
  );

  const [search, setSearch] = useState(filters.q ?? '');
  useEffect(() => setSearch(filters.q ?? ''), [filters.q]);

  const [exporting, setExporting] = useState<string | null>(null);

  const setFilter = (next: Record<string, string | undefined>) => {
    const merged = new URLSearchParams(params);
    for (const [key, value] of Object.entries(next)) {
      if (value === undefined || value === '') merged.delete(key);
      else merged.set(key, value);
    }
    setParams(merged, { replace: true });
  };

  const goNext = () => {
    const next = list.data?.nextCursor;
    if (next) setCursors({ key: filterKey, stack: [...stack, next] });
  };
  const goPrev = () => {
    if (stack.length > 1) setCursors({ key: filterKey, stack: stack.slice(0, -1) });
  };

  const onExport = async (format: 'csv' | 'xlsx') => {
    setExporting(format);
    try {
      const { sort, ...rest } = filters;
      const name = await downloadFile('/facilities/export', { format, ...rest, sort }, `facilities.${format}`);
      void message.success(t('facilities.exported', { name }));
    } catch {
      // api.ts has shown the error
    } finally {
      setExporting(null);
    }
  };

  const sort = parseSort(filters.sort ?? null);
  const sortOrderOf = (field: SortField) => (sort?.field === field ? sort.order : null);

  const columns: TableColumnsType<Facility> = [
    {
      title: t('field.computeId'),
      dataIndex: 'computeId',
      key: 'computeId',
      width: 145,
      sorter: true,
      sortOrder: sortOrderOf('computeId'),
      render: (value: string) => (
        <Typography.Text style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace', fontSize: 12, whiteSpace: 'nowrap' }} data-testid="facility-compute-id">
          {value}
        </Typography.Text>
      ),
    },
    {
      title: t('field.name'),
      dataIndex: 'name',
      key: 'name',
      width: 190,
      sorter: true,
      sortOrder: sortOrderOf('name'),
      render: (value: string, facility) => (
        <Link to={`/facilities/${encodeURIComponent(facility.id)}`} data-testid={`facility-link-${facility.id}`}>
          {value}
        </Link>
      ),
    },
    {
      title: t('field.region'),
      dataIndex: 'regionName',
      key: 'regionName',
      width: 130,
      render: (value: string, f) => <RegionName code={f.regionCode} fallback={value} tail={2} />,
    },
    {
      title: `${t('field.status')} / ${t('field.kind')}`,
      key: 'statusKind',
      width: 130,
      render: (_, f) => (
        <Flex vertical gap={4} align="flex-start">
          <FacilityStatusTag status={f.status} />
          <FacilityKindTag kind={f.kind} />
        </Flex>
      ),
    },
    {
      title: t('field.racksDesigned'),
      dataIndex: 'racksDesigned',
      key: 'racksDesigned',
      width: 108,
      align: 'right',
      sorter: true,
      sortOrder: sortOrderOf('racksDesigned'),
      render: (v: number) => formatNumber(v, lang),
    },
    { title: t('field.racksInUse'), dataIndex: 'racksInUse', key: 'racksInUse', width: 90, align: 'right', render: (v: number) => formatNumber(v, lang) },
    {
      title: t('field.rackUtilization'),
      dataIndex: 'rackUtilization',
      key: 'rackUtilization',
      width: 115,
      sorter: true,
      sortOrder: sortOrderOf('rackUtilization'),
      align: 'right',
      render: (v: number | null) => <UtilisationCell ratio={v} />,
    },
    {
      title: t('field.fp32EquivalentTflops'),
      dataIndex: 'fp32Equivalent',
      key: 'fp32Equivalent',
      width: 110,
      align: 'right',
      render: (v: number) => formatNumber(v, lang, 1),
    },
    {
      title: 'PUE',
      key: 'pue',
      width: 64,
      align: 'right',
      render: (_, f) => (
        <Tooltip title={`${t('field.pueDesign')} ${formatPue(f.pueDesign)} · ${t('field.pueMeasured')} ${formatPue(f.pueMeasured)}`}>
          <span>{formatPue(f.pueMeasured ?? f.pueDesign)}</span>
        </Tooltip>
      ),
    },
  ];

  const onTableChange: TableProps<Facility>['onChange'] = (_pagination, _filters, sorter) => {
    const single = Array.isArray(sorter) ? sorter[0] : sorter;
    const field = single?.columnKey as SortField | undefined;
    if (!single?.order || !field) setFilter({ sort: undefined });
    else setFilter({ sort: single.order === 'descend' ? `-${field}` : field });
  };

  const hasFilters = Boolean(filters.region || filters.status || filters.kind || filters.q);
  const data = list.data;

  return (
    <div data-testid="facilities-page">
      <PageHeader
        title={t('facilities.title')}
        subtitle={t('facilities.subtitle')}
        extra={
          <>
            <Button icon={<DownloadOutlined />} loading={exporting === 'csv'} onClick={() => void onExport('csv')} data-testid="export-csv">
              {t('facilities.exportCsv')}
            </Button>
            <Button icon={<DownloadOutlined />} loading={exporting === 'xlsx'} onClick={() => void onExport('xlsx')} data-testid="export-xlsx">
              {t('facilities.exportXlsx')}
            </Button>
          </>
        }
      />
      <Card>
        <Flex wrap gap={12} style={{ marginBottom: 16 }}>
          <RegionCascader
            value={filters.region}
            onChange={(code) => setFilter({ region: code })}
            deepest="city"
            changeOnSelect
            placeholder={t('facilities.regionPlaceholder')}
            style={{ width: 240 }}
            testId="filter-region"
          />
          <Select
            allowClear
            placeholder={t('facilities.statusPlaceholder')}
            value={filters.status}
            onChange={(value?: string) => setFilter({ status: value })}
            options={FACILITY_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
            style={{ width: 150 }}
            data-testid="filter-status"
          />
          <Select
            allowClear
            placeholder={t('facilities.kindPlaceholder')}
            value={filters.kind}
            onChange={(value?: string) => setFilter({ kind: value })}
            options={FACILITY_KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))}
            style={{ width: 150 }}
            data-testid="filter-kind"
          />
          <Input.Search
            allowClear
            placeholder={t('facilities.searchPlaceholder')}
            value={search}
            onChange={(event) => setSearch(event.target.value)}
            onSearch={(value) => setFilter({ q: value.trim() || undefined })}
            enterButton={t('common.search')}
            style={{ width: 340 }}
            data-testid="facilities-search"
          />
          {hasFilters ? (
            <Button type="link" onClick={() => setParams(new URLSearchParams(filters.sort ? { sort: filters.sort } : {}), { replace: true })}>
              {t('facilities.clearFilters')}
            </Button>
          ) : null}
        </Flex>

        {list.error && !data ? (
          <ErrorState error={list.error} onRetry={list.reload} />
        ) : (
          <>
            <Table<Facility>
              rowKey="id"
              columns={columns}
              dataSource={data?.items ?? []}
              loading={list.loading}
              pagination={false}
              onChange={onTableChange}
              scroll={{ x: 1082 }}
              size="small"
              className="suanli-table-numeric"
              data-testid="facilities-table"
              locale={{
                emptyText: list.loading ? (
                  <div style={{ height: 120 }} />
                ) : (
                  <Empty description={t('facilities.empty')} data-testid="facilities-empty">
                    <Typography.Text type="secondary">{t('facilities.emptyHint')}</Typography.Text>
                  </Empty>
                ),
              }}
            />
            <Flex justify="space-between" align="center" style={{ marginTop: 16 }} wrap gap={12}>
              <Typography.Text type="secondary" data-testid="facilities-total">
                {data ? t('common.total', { total: formatNumber(data.total, lang) }) : ''}
              </Typography.Text>
              <Space>
                <Button icon={<ReloadOutlined />} onClick={list.reload} aria-label={t('common.refresh')} />
                <Button icon={<LeftOutlined />} disabled={pageNumber <= 1 || list.loading} onClick={goPrev} data-testid="facilities-prev">
                  {t('common.prev')}
                </Button>
                <Typography.Text data-testid="facilities-page-number">{t('common.page', { page: pageNumber })}</Typography.Text>
                <Button disabled={!data?.nextCursor || list.loading} onClick={goNext} data-testid="facilities-next">
                  {t('common.next')}
                  <RightOutlined />
                </Button>
                <Select
                  value={limit}
                  onChange={(value: number) => setFilter({ limit: String(value) })}
                  options={PAGE_SIZES.map((size) => ({ value: size, label: t('common.perPage', { size }) }))}
                  style={{ width: 120 }}
                />
              </Space>
            </Flex>
          </>
        )}
      </Card>
    </div>
  );
}
