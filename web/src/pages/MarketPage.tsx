/**
 * 算力超市: every open offer with its price per unit, free capacity, SLA, facility and supplier —
 * filtered by kind, accelerator, region, price range and green share, sorted, paged by cursor —
 * the standard products with how many offers list each and the cheapest, and the providers'
 * services. A demander orders straight from a row.
 */
import { LeftOutlined, ReloadOutlined, RightOutlined, ShoppingCartOutlined } from '@ant-design/icons';
import { Button, Card, Col, Empty, Flex, Input, InputNumber, Row, Select, Space, Statistic, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { api } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { ErrorState } from '../components/ErrorState.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { RegionCascader } from '../components/RegionCascader.tsx';
import { formatDateTime, formatNumber, formatPct } from '../format.ts';
import { OrderDialog } from '../features/market/OrderDialog.tsx';
import { type Offer, type ProductTemplate, RESOURCE_KINDS } from '../features/market/types.ts';
import { Capacity, OfferWhat, OfferWhere, Supplier, UnitPrice } from '../features/market/ui.tsx';
import { useCursorStack } from '../hooks/useCursorStack.ts';
import { useRequest } from '../hooks/useRequest.ts';
import { useI18n } from '../i18n.ts';
import { canOrder } from '../roles.ts';
import type { CatalogueAccelerator, Page } from '../types.ts';

const PAGE_SIZES = [20, 50, 100];
const SORTS = ['-createdAt', 'pricePerUnit', '-pricePerUnit', 'windowEnd'] as const;
const GREEN_STEPS = [30, 50, 80];

interface Service {
  id: string;
  kind: string;
  name: string;
  description: string;
  providerOrgName: string | null;
  offerIds: string[];
  pricePerUnit: number | null;
  unit: string | null;
}

const numberParam = (value: string | null): number | undefined => {
  if (value === null || value === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
};

function OffersTab() {
  const { t, te, lang } = useI18n();
  const { user } = useAuth();
  const [params, setParams] = useSearchParams();
  const filters = {
    kind: params.get('kind') ?? undefined,
    model: params.get('model') ?? undefined,
    product: params.get('product') ?? undefined,
    region: params.get('region') ?? undefined,
    minPrice: numberParam(params.get('minPrice')),
    maxPrice: numberParam(params.get('maxPrice')),
    minGreen: numberParam(params.get('minGreen')),
    q: params.get('q') ?? undefined,
    sort: (SORTS as readonly string[]).includes(params.get('sort') ?? '') ? params.get('sort')! : '-createdAt',
  };
  const limit = PAGE_SIZES.includes(Number(params.get('limit'))) ? Number(params.get('limit')) : PAGE_SIZES[0]!;
  const filterKey = JSON.stringify([filters, limit]);
  const pages = useCursorStack(filterKey);
  const list = useRequest((signal) => api<Page<Offer>>('/offers', { query: { ...filters, limit, cursor: pages.cursor }, signal }), [filterKey, pages.cursor]);
  const catalogue = useRequest((signal) => api<{ items: CatalogueAccelerator[] }>('/catalogue/accelerators', { signal, quiet: true }), []);
  const [search, setSearch] = useState(filters.q ?? '');
  useEffect(() => setSearch(filters.q ?? ''), [filters.q]);
  const [ordering, setOrdering] = useState<Offer | null>(null);
  const [priceMin, setPriceMin] = useState<number | null>(filters.minPrice ?? null);
  const [priceMax, setPriceMax] = useState<number | null>(filters.maxPrice ?? null);
  useEffect(() => setPriceMin(filters.minPrice ?? null), [filters.minPrice]);
  useEffect(() => setPriceMax(filters.maxPrice ?? null), [filters.maxPrice]);

  // From the address bar as it is now, not as this render saw it: the router renders a navigation in
  // a transition, so a second filter changed before that render lands would drop the first.
  const setFilter = (next: Record<string, string | number | undefined | null>) => {
    const merged = new URLSearchParams(window.location.search);
    for (const [key, value] of Object.entries(next)) {
      if (value === undefined || value === null || value === '') merged.delete(key);
      else merged.set(key, String(value));
    }
    setParams(merged, { replace: true });
  };
  const orderable = canOrder(user);

  const columns: TableColumnsType<Offer> = [
    {
      title: t('market.offer'),
      key: 'title',
      width: 230,
      render: (_, o) => (
        <Flex vertical gap={4}>
          <Typography.Text data-testid={`offer-title-${o.id}`}>{o.title}</Typography.Text>
          <OfferWhat offer={o} />
        </Flex>
      ),
    },
    {
      title: t('market.price'),
      key: 'price',
      width: 130,
      align: 'right',
      render: (_, o) => (
        <span data-testid={`offer-price-${o.id}`}>
          <UnitPrice price={o.pricePerUnit} unit={o.unit} strong />
        </span>
      ),
    },
    { title: t('market.free'), key: 'free', width: 140, align: 'right', render: (_, o) => <Capacity offer={o} /> },
    { title: t('market.facility'), key: 'facility', width: 180, render: (_, o) => <OfferWhere offer={o} /> },
    { title: t('market.supplier'), key: 'supplier', width: 160, render: (_, o) => <Supplier offer={o} /> },
    {
      title: t('market.terms'),
      key: 'terms',
      width: 170,
      render: (_, o) => (
        <Flex vertical gap={2} style={{ fontSize: 12 }}>
          <span>
            SLA {formatPct(o.slaPct, 2)} · {t('market.greenShort')} {formatPct(o.greenPowerPct)}
          </span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('market.minTerm')} {t('market.hoursValue', { hours: o.minTermHours })}
          </Typography.Text>
          <Tooltip title={`${formatDateTime(o.window.start, lang)} – ${formatDateTime(o.window.end, lang)}`}>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('market.until', { date: formatDateTime(o.window.end, lang).slice(0, 10) })}
            </Typography.Text>
          </Tooltip>
          {o.certifications.length ? (
            <span>
              {o.certifications.map((c) => (
                <Tag key={c} style={{ fontSize: 11, marginInlineEnd: 2, paddingInline: 4 }}>
                  {c}
                </Tag>
              ))}
            </span>
          ) : null}
        </Flex>
      ),
    },
    ...(orderable
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 90,
            fixed: 'right' as const,
            render: (_: unknown, o: Offer) => (
              <Button size="small" type="primary" icon={<ShoppingCartOutlined />} disabled={o.status !== 'open' || o.quantityAvailable < 1} onClick={() => setOrdering(o)} data-testid={`order-offer-${o.id}`}>
                {t('market.orderAction')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  const hasFilters = Boolean(filters.kind || filters.model || filters.product || filters.region || filters.minPrice !== undefined || filters.maxPrice !== undefined || filters.minGreen !== undefined || filters.q);
  const data = list.data;

  return (
    <>
      <Flex wrap gap={12} style={{ marginBottom: 16 }} data-testid="market-filters">
        <Select
          allowClear
          placeholder={t('market.filter.kind')}
          value={filters.kind}
          onChange={(value?: string) => setFilter({ kind: value })}
          options={RESOURCE_KINDS.map((k) => ({ value: k, label: te('market.kind', k) }))}
          style={{ width: 130 }}
          data-testid="filter-kind"
        />
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('market.filter.model')}
          value={filters.model}
          onChange={(value?: string) => setFilter({ model: value })}
          options={(catalogue.data?.items ?? []).map((a) => ({ value: a.model, label: a.model }))}
          style={{ width: 170 }}
          data-testid="filter-model"
        />
        <RegionCascader value={filters.region} onChange={(code) => setFilter({ region: code })} deepest="city" changeOnSelect placeholder={t('market.filter.region')} style={{ width: 220 }} testId="filter-region" />
        <Space.Compact>
          <InputNumber
            min={0}
            prefix="¥"
            placeholder={t('market.filter.minPrice')}
            value={priceMin}
            onChange={(value) => setPriceMin(value)}
            onBlur={() => setFilter({ minPrice: priceMin })}
            onPressEnter={() => setFilter({ minPrice: priceMin })}
            style={{ width: 120 }}
            data-testid="filter-min-price"
          />
          <InputNumber
            min={0}
            prefix="¥"
            placeholder={t('market.filter.maxPrice')}
            value={priceMax}
            onChange={(value) => setPriceMax(value)}
            onBlur={() => setFilter({ maxPrice: priceMax })}
            onPressEnter={() => setFilter({ maxPrice: priceMax })}
            style={{ width: 120 }}
            data-testid="filter-max-price"
          />
        </Space.Compact>
        <Select
          allowClear
          placeholder={t('market.filter.green')}
          value={filters.minGreen}
          onChange={(value?: number) => setFilter({ minGreen: value })}
          options={GREEN_STEPS.map((g) => ({ value: g, label: t('market.filter.greenAtLeast', { pct: g }) }))}
          style={{ width: 150 }}
          data-testid="filter-green"
        />
        <Input.Search
          allowClear
          placeholder={t('market.filter.search')}
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          onSearch={(value) => setFilter({ q: value.trim() || undefined })}
          style={{ width: 220 }}
          data-testid="market-search"
        />
        <Select
          value={filters.sort}
          onChange={(value: string) => setFilter({ sort: value === '-createdAt' ? undefined : value })}
          options={SORTS.map((s) => ({ value: s, label: te('market.sort', s) }))}
          style={{ width: 140 }}
          data-testid="market-sort"
        />
        {filters.product ? (
          <Tag closable onClose={() => setFilter({ product: undefined })} color="blue" style={{ alignSelf: 'center' }} data-testid="filter-product">
            {t('market.standardProduct')}: {filters.product}
          </Tag>
        ) : null}
        {hasFilters ? (
          <Button type="link" onClick={() => setParams(new URLSearchParams(), { replace: true })} data-testid="market-clear">
            {t('facilities.clearFilters')}
          </Button>
        ) : null}
      </Flex>
      {list.error && !data ? (
        <ErrorState error={list.error} onRetry={list.reload} />
      ) : (
        <>
          <Table<Offer>
            rowKey="id"
            columns={columns}
            dataSource={data?.items ?? []}
            loading={list.loading}
            pagination={false}
            scroll={{ x: 1100 }}
            size="small"
            className="suanli-table-numeric"
            data-testid="offers-table"
            onRow={(o) => ({ 'data-testid': `offer-row-${o.id}` }) as React.HTMLAttributes<HTMLElement>}
            locale={{
              emptyText: list.loading ? (
                <div style={{ height: 120 }} />
              ) : (
                <Empty description={t('market.empty')} data-testid="offers-empty">
                  <Typography.Text type="secondary">{hasFilters ? t('market.emptyFiltered') : t('market.emptyHint')}</Typography.Text>
                </Empty>
              ),
            }}
          />
          <Flex justify="space-between" align="center" style={{ marginTop: 16 }} wrap gap={12}>
            <Typography.Text type="secondary" data-testid="offers-total">
              {data ? t('common.total', { total: formatNumber(data.total, lang) }) : ''}
            </Typography.Text>
            <Space>
              <Button icon={<ReloadOutlined />} onClick={list.reload} aria-label={t('common.refresh')} />
              <Button icon={<LeftOutlined />} disabled={pages.page <= 1 || list.loading} onClick={pages.prev} data-testid="offers-prev">
                {t('common.prev')}
              </Button>
              <Typography.Text>{t('common.page', { page: pages.page })}</Typography.Text>
              <Button disabled={!data?.nextCursor || list.loading} onClick={() => pages.next(data?.nextCursor)} data-testid="offers-next">
                {t('common.next')}
                <RightOutlined />
              </Button>
              <Select value={limit} onChange={(value: number) => setFilter({ limit: value })} options={PAGE_SIZES.map((size) => ({ value: size, label: t('common.perPage', { size }) }))} style={{ width: 120 }} />
            </Space>
          </Flex>
        </>
      )}
      <OrderDialog open={ordering !== null} offer={ordering} onClose={() => setOrdering(null)} onOrdered={() => list.reload()} />
    </>
  );
}

interface ProductStats {
  total: number;
  cheapest: Offer | null;
}

function ProductsTab({ onBrowse }: { onBrowse: (code: string) => void }) {
  const { t, te, lang } = useI18n();
  const products = useRequest((signal) => api<Page<ProductTemplate>>('/market/products', { signal }), []);
  const stats = useRequest(
    async (signal) => {
      const items = products.data?.items ?? [];
      const pairs = await Promise.all(
        items.map(async (p) => {
          const page = await api<Page<Offer>>('/offers', { query: { product: p.code, sort: 'pricePerUnit', limit: 1 }, signal, quiet: true });
          return [p.code, { total: page.total, cheapest: page.items[0] ?? null }] as const;
        }),
      );
      return new Map<string, ProductStats>(pairs);
    },
    [products.data],
    Boolean(products.data),
  );
  if (products.error) return <ErrorState error={products.error} onRetry={products.reload} />;
  return (
    <Row gutter={[16, 16]} data-testid="products-grid">
      {(products.data?.items ?? []).map((p) => {
        const s = stats.data?.get(p.code);
        return (
          <Col key={p.code} xs={24} sm={12} lg={8} xl={6}>
            <Card
              size="small"
              title={lang === 'en' ? p.nameEn : p.name}
              extra={<Tag>{te('market.kind', p.resourceKind)}</Tag>}
              actions={[
                <Button key="browse" type="link" disabled={!s?.total} onClick={() => onBrowse(p.code)} data-testid={`product-browse-${p.code}`}>
                  {t('market.products.browse')}
                </Button>,
              ]}
              data-testid={`product-${p.code}`}
            >
              <Flex vertical gap={8}>
                <Typography.Text type="secondary" style={{ minHeight: 44 }}>
                  {p.description}
                </Typography.Text>
                <Typography.Text style={{ fontSize: 12 }}>
                  {[p.acceleratorModel, p.memoryGb ? `${p.memoryGb} GB` : null, p.interconnect, `${t('market.minTerm')} ${t('market.hoursValue', { hours: p.minTermHours })}`].filter(Boolean).join(' · ')}
                </Typography.Text>
                <Flex justify="space-between">
                  <Statistic title={t('market.products.offers')} value={s ? s.total : '—'} styles={{ content: { fontSize: 18 } }} />
                  <Statistic
                    title={t('market.products.from')}
                    value={s?.cheapest ? `¥${s.cheapest.pricePerUnit}` : '—'}
                    suffix={s?.cheapest ? <span style={{ fontSize: 12 }}>/{te('market.unit', p.unit)}</span> : null}
                    styles={{ content: { fontSize: 18 } }}
                  />
                </Flex>
              </Flex>
            </Card>
          </Col>
        );
      })}
    </Row>
  );
}

function ServicesTab() {
  const { t, te, lang } = useI18n();
  const list = useRequest((signal) => api<Page<Service>>('/services', { query: { limit: 100 }, signal }), []);
  if (list.error) return <ErrorState error={list.error} onRetry={list.reload} />;
  const columns: TableColumnsType<Service> = [
    { title: t('market.services.name'), key: 'name', render: (_, s) => <Typography.Text strong>{s.name}</Typography.Text> },
    { title: t('market.kindLabel'), key: 'kind', width: 120, render: (_, s) => <Tag>{te('market.serviceKind', s.kind)}</Tag> },
    { title: t('market.services.provider'), key: 'provider', width: 200, render: (_, s) => s.providerOrgName ?? '—' },
    { title: t('market.services.description'), key: 'description', render: (_, s) => <Typography.Text type="secondary">{s.description}</Typography.Text> },
    {
      title: t('market.price'),
      key: 'price',
      width: 150,
      align: 'right',
      render: (_, s) => (s.pricePerUnit === null ? t('market.services.onRequest') : `¥${formatNumber(s.pricePerUnit, lang, 4)}/${te('market.serviceUnit', s.unit ?? '')}`),
    },
    { title: t('market.services.offers'), key: 'offers', width: 100, align: 'right', render: (_, s) => s.offerIds.length },
  ];
  return <Table<Service> rowKey="id" columns={columns} dataSource={list.data?.items ?? []} loading={list.loading} pagination={false} size="small" data-testid="services-table" />;
}

export function MarketPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const { user } = useAuth();
  const tab = params.get('tab') === 'products' ? 'products' : params.get('tab') === 'services' ? 'services' : 'offers';
  return (
    <div data-testid="market-page">
      <PageHeader
        title={t('market.title')}
        subtitle={t('market.subtitle')}
        extra={
          canOrder(user) ? (
            <Button type="primary" onClick={() => navigate('/market/demands/new')} data-testid="market-post-demand">
              {t('market.demand.post')}
            </Button>
          ) : null
        }
      />
      <Card>
        <Tabs
          activeKey={tab}
          onChange={(key) => setParams(key === 'offers' ? {} : { tab: key }, { replace: true })}
          items={[
            { key: 'offers', label: <span data-testid="market-tab-offers">{t('market.tab.offers')}</span>, children: tab === 'offers' ? <OffersTab /> : null },
            {
              key: 'products',
              label: <span data-testid="market-tab-products">{t('market.tab.products')}</span>,
              children: tab === 'products' ? <ProductsTab onBrowse={(code) => setParams({ product: code }, { replace: true })} /> : null,
            },
            { key: 'services', label: <span data-testid="market-tab-services">{t('market.tab.services')}</span>, children: tab === 'services' ? <ServicesTab /> : null },
          ]}
        />
      </Card>
    </div>
  );
}
