/**
 * 我的报价: a supplier's own offers (open, withdrawn, expired) with their free capacity, a form to
 * list a new one on an own approved facility, and withdrawal (orders already placed stand).
 */
import { PlusOutlined, StopOutlined } from '@ant-design/icons';
import { App, Button, Card, Flex, Result, Segmented, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { api } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { CursorTable } from '../components/CursorTable.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { formatDateTime } from '../format.ts';
import { OfferFormModal } from '../features/market/OfferFormModal.tsx';
import type { Offer } from '../features/market/types.ts';
import { Capacity, OfferStatusTag, OfferWhat, OfferWhere, UnitPrice } from '../features/market/ui.tsx';
import { useCursorStack } from '../hooks/useCursorStack.ts';
import { useRequest } from '../hooks/useRequest.ts';
import { useI18n } from '../i18n.ts';
import { isSupplier } from '../roles.ts';
import type { Page } from '../types.ts';

const STATUSES = ['all', 'open', 'withdrawn', 'expired'] as const;
type StatusFilter = (typeof STATUSES)[number];
const LIMIT = 20;

export function MyOffersPage() {
  const { t, te, lang } = useI18n();
  const { user } = useAuth();
  const { message, modal } = App.useApp();
  const [params, setParams] = useSearchParams();
  const statusParam = params.get('status') as StatusFilter | null;
  const status: StatusFilter = statusParam && STATUSES.includes(statusParam) ? statusParam : 'all';
  const pages = useCursorStack(status);
  const list = useRequest(
    (signal) =>
      api<Page<Offer>>('/offers', {
        query: { supplier: user?.orgId, status: status === 'all' ? 'open,withdrawn,expired' : status, limit: LIMIT, cursor: pages.cursor },
        signal,
      }),
    [status, pages.cursor, user?.orgId],
    Boolean(user),
  );
  const [creating, setCreating] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);

  if (!isSupplier(user)) return <Result status="403" title={t('common.forbidden')} subTitle={t('market.myOffers.notSupplier')} />;

  const withdraw = (offer: Offer) => {
    modal.confirm({
      title: t('market.myOffers.withdrawTitle', { title: offer.title }),
      content: t('market.myOffers.withdrawHint'),
      okText: t('market.myOffers.withdraw'),
      okButtonProps: { danger: true, ...({ 'data-testid': 'withdraw-confirm' } as object) },
      cancelText: t('common.cancel'),
      onOk: async () => {
        setBusy(offer.id);
        try {
          await api<Offer>(`/offers/${encodeURIComponent(offer.id)}/withdraw`, { method: 'POST' });
          void message.success(t('market.myOffers.withdrawn'));
          list.reload();
        } finally {
          setBusy(null);
        }
      },
    });
  };

  const columns: TableColumnsType<Offer> = [
    {
      title: t('market.offer'),
      key: 'title',
      width: 260,
      render: (_, o) => (
        <Flex vertical gap={4}>
          <Typography.Text data-testid={`my-offer-title-${o.id}`}>{o.title}</Typography.Text>
          <OfferWhat offer={o} />
        </Flex>
      ),
    },
    { title: t('field.status'), key: 'status', width: 90, render: (_, o) => <OfferStatusTag status={o.status} /> },
    { title: t('market.facility'), key: 'facility', width: 200, render: (_, o) => <OfferWhere offer={o} /> },
    { title: t('market.price'), key: 'price', width: 120, align: 'right', render: (_, o) => <UnitPrice price={o.pricePerUnit} unit={o.unit} strong /> },
    { title: t('market.free'), key: 'free', width: 140, align: 'right', render: (_, o) => <Capacity offer={o} /> },
    {
      title: t('market.myOffers.window'),
      key: 'window',
      width: 170,
      render: (_, o) => (
        <Flex vertical gap={0} style={{ fontSize: 12 }}>
          <span>{formatDateTime(o.window.start, lang)}</span>
          <span>{formatDateTime(o.window.end, lang)}</span>
        </Flex>
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 100,
      fixed: 'right',
      render: (_, o) =>
        o.status === 'open' ? (
          <Button size="small" danger icon={<StopOutlined />} loading={busy === o.id} onClick={() => withdraw(o)} data-testid={`withdraw-${o.id}`}>
            {t('market.myOffers.withdraw')}
          </Button>
        ) : null,
    },
  ];

  return (
    <div data-testid="my-offers-page">
      <PageHeader
        title={t('nav.myOffers')}
        subtitle={t('market.myOffers.subtitle')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="new-offer">
            {t('market.myOffers.new')}
          </Button>
        }
      />
      <Card>
        <Flex style={{ marginBottom: 16 }}>
          <Segmented<StatusFilter>
            value={status}
            onChange={(value) => setParams(value === 'all' ? {} : { status: value }, { replace: true })}
            options={STATUSES.map((s) => ({ value: s, label: s === 'all' ? t('common.all') : te('market.offerStatus', s) }))}
            data-testid="my-offers-status"
          />
        </Flex>
        <CursorTable<Offer>
          list={list}
          pages={pages}
          testId="my-offers-table"
          rowKey="id"
          columns={columns}
          size="small"
          scroll={{ x: 1080 }}
          className="suanli-table-numeric"
          onRow={(o) => ({ 'data-testid': `my-offer-row-${o.id}` }) as React.HTMLAttributes<HTMLElement>}
          empty={t('market.myOffers.empty')}
          totalTestId="my-offers-total"
        />
      </Card>
      <OfferFormModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={() => {
          setCreating(false);
          list.reload();
        }}
      />
    </div>
  );
}
