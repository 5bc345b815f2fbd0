/**
 * Orders (我的订单): an enterprise's orders as buyer and as supplier, a government body's those at
 * facilities in its jurisdiction, an administrator's all; with the state, the actions the user's
 * side allows (confirm, activate, cancel, complete, dispute), a rating after completion and the
 * settlement statement as CSV (docs/market.md §2, §5).
 */
import { CheckOutlined, DownloadOutlined, PlayCircleOutlined, StarOutlined, StopOutlined, WarningOutlined } from '@ant-design/icons';
import { App, Button, Card, Flex, Input, Modal, Rate, Segmented, Select, Space, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useLocation, useSearchParams } from 'react-router';
import { api, ApiError, downloadFile } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { CursorTable } from '../components/CursorTable.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { formatDateTime, formatNumber } from '../format.ts';
import { formatCny, type OrderAction, orderActions } from '../features/market/format.ts';
import { type Order, ORDER_STATES } from '../features/market/types.ts';
import { OrderStateTag, UnitPrice } from '../features/market/ui.tsx';
import { useCursorStack } from '../hooks/useCursorStack.ts';
import { useRequest } from '../hooks/useRequest.ts';
import { useI18n } from '../i18n.ts';
import { isDemander, isGovernment, isSupplier } from '../roles.ts';
import type { Page } from '../types.ts';

const LIMIT = 20;
type Role = 'all' | 'buyer' | 'supplier';

function RatingModal({ order, onClose, onRated }: { order: Order | null; onClose: () => void; onRated: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [stars, setStars] = useState(5);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    if (!order) return;
    setBusy(true);
    try {
      await api(`/orders/${encodeURIComponent(order.id)}/rating`, { method: 'POST', body: { stars, ...(comment.trim() ? { comment: comment.trim() } : {}) } });
      void message.success(t('market.orders.rated'));
      onRated();
    } catch {
      // api.ts has shown the error
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={order !== null}
      title={t('market.orders.rateTitle')}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('market.orders.rateSubmit')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: busy, ...({ 'data-testid': 'rating-submit' } as object) }}
      destroyOnHidden
    >
      <Flex vertical gap={12}>
        <Typography.Text type="secondary">{order?.offerTitle}</Typography.Text>
        <Rate value={stars} onChange={setStars} data-testid="rating-stars" />
        <Input.TextArea rows={3} maxLength={2000} value={comment} onChange={(e) => setComment(e.target.value)} placeholder={t('market.orders.rateComment')} data-testid="rating-comment" />
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('market.orders.rateHint')}
        </Typography.Text>
      </Flex>
    </Modal>
  );
}

export function OrdersPage() {
  const { t, te, lang } = useI18n();
  const { user } = useAuth();
  const { message, modal } = App.useApp();
  const location = useLocation();
  const highlight = (location.state as { highlight?: string } | null)?.highlight;
  const [params, setParams] = useSearchParams();
  const enterprise = !!user && !user.isAdmin && !isGovernment(user);
  const roleParam = params.get('role') as Role | null;
  const role: Role = roleParam === 'buyer' || roleParam === 'supplier' ? roleParam : 'all';
  const state = params.get('state') ?? undefined;
  const pages = useCursorStack(`${role}:${state ?? ''}`);
  const list = useRequest(
    (signal) => api<Page<Order>>('/orders', { query: { role: role === 'all' ? undefined : role, state, limit: LIMIT, cursor: pages.cursor }, signal }),
    [role, state, pages.cursor],
  );
  const [busy, setBusy] = useState<string | null>(null);
  const [rating, setRating] = useState<Order | null>(null);

  const setFilter = (next: { role?: Role; state?: string | undefined }) => {
    const merged = { role, state, ...next };
    const query: Record<string, string> = {};
    if (merged.role !== 'all') query.role = merged.role;
    if (merged.state) query.state = merged.state;
    setParams(query, { replace: true });
  };

  const transition = async (order: Order, action: 'confirm' | 'activate' | 'cancel' | 'complete' | 'dispute', reason?: string) => {
    setBusy(`${order.id}:${action}`);
    try {
      await api<Order>(`/orders/${encodeURIComponent(order.id)}/${action}`, { method: 'POST', ...(action === 'cancel' || action === 'dispute' ? { body: reason ? { reason } : {} } : {}) });
      void message.success(t(`market.orders.done.${action}`));
      list.reload();
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
    } finally {
      setBusy(null);
    }
  };

  /** Cancel and dispute ask first; a dispute needs its reason. */
  const ask = (order: Order, action: 'cancel' | 'dispute') => {
    let reason = '';
    modal.confirm({
      title: t(`market.orders.ask.${action}`),
      content: (
        <Flex vertical gap={8}>
          <Typography.Text type="secondary">{t(`market.orders.askHint.${action}`)}</Typography.Text>
          <Input.TextArea rows={3} maxLength={2000} onChange={(e) => (reason = e.target.value)} placeholder={t('market.orders.reason')} data-testid="order-reason" />
        </Flex>
      ),
      okText: t(`market.orders.action.${action}`),
      okButtonProps: { danger: action === 'dispute', ...({ 'data-testid': 'order-action-confirm' } as object) },
      cancelText: t('common.cancel'),
      onOk: async () => {
        if (action === 'dispute' && !reason.trim()) {
          void message.error(t('market.orders.reasonRequired'));
          throw new Error('reason required');
        }
        await transition(order, action, reason.trim() || undefined);
      },
    });
  };

  const statement = async (order: Order) => {
    setBusy(`${order.id}:statement`);
    try {
      const name = await downloadFile(`/orders/${encodeURIComponent(order.id)}/statement`, { format: 'csv' }, `statement-${order.id}.csv`);
      void message.success(t('facilities.exported', { name }));
    } catch {
      // api.ts has shown the error
    } finally {
      setBusy(null);
    }
  };

  const button = (order: Order, action: OrderAction) => {
    const icons: Record<OrderAction, React.ReactNode> = {
      confirm: <CheckOutlined />,
      activate: <PlayCircleOutlined />,
      cancel: <StopOutlined />,
      complete: <CheckOutlined />,
      dispute: <WarningOutlined />,
      rate: <StarOutlined />,
      statement: <DownloadOutlined />,
    };
    const onClick = () => {
      if (action === 'cancel' || action === 'dispute') ask(order, action);
      else if (action === 'rate') setRating(order);
      else if (action === 'statement') void statement(order);
      else void transition(order, action);
    };
    return (
      <Button
        key={action}
        size="small"
        type={action === 'activate' || action === 'confirm' || action === 'complete' ? 'primary' : 'default'}
        danger={action === 'cancel'}
        icon={icons[action]}
        loading={busy === `${order.id}:${action}`}
        onClick={onClick}
        data-testid={`order-${action}-${order.id}`}
      >
        {t(`market.orders.action.${action}`)}
      </Button>
    );
  };

  const sideOf = (o: Order) => (o.buyerOrgId === user?.orgId ? 'buyer' : o.supplierOrgId === user?.orgId ? 'supplier' : null);

  const columns: TableColumnsType<Order> = [
    {
      title: t('market.orders.order'),
      key: 'id',
      width: 150,
      render: (_, o) => (
        <Flex vertical gap={2}>
          <Typography.Text code style={{ fontSize: 11, wordBreak: 'break-all' }} data-testid={`order-id-${o.id}`}>
            {o.id}
          </Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {formatDateTime(o.createdAt, lang)}
          </Typography.Text>
        </Flex>
      ),
    },
    { title: t('field.status'), key: 'state', width: 80, render: (_, o) => <OrderStateTag state={o.state} /> },
    {
      title: t('market.offer'),
      key: 'offer',
      width: 210,
      render: (_, o) => (
        <Flex vertical gap={2}>
          <Typography.Text>{o.offerTitle ?? o.offerId}</Typography.Text>
          {o.reason ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('market.orders.reason')}: {o.reason}
            </Typography.Text>
          ) : null}
        </Flex>
      ),
    },
    {
      title: t('market.orders.parties'),
      key: 'parties',
      width: 170,
      render: (_, o) => {
        // A party sees its counterpart; a government body or an administrator both.
        const side = sideOf(o);
        return (
          <Flex vertical gap={0} style={{ fontSize: 12 }}>
            {side !== 'buyer' ? (
              <span>
                {t('market.orders.buyer')}: {o.buyerOrgName ?? o.buyerOrgId}
              </span>
            ) : null}
            {side !== 'supplier' ? (
              <span>
                {t('market.orders.supplier')}: {o.supplierOrgName ?? o.supplierOrgId}
              </span>
            ) : null}
          </Flex>
        );
      },
    },
    {
      title: `${t('market.order.quantity')} / ${t('market.demand.window')}`,
      key: 'window',
      width: 140,
      render: (_, o) => (
        <Flex vertical gap={0} style={{ fontSize: 12 }}>
          <Typography.Text strong>{formatNumber(o.quantity, lang)}</Typography.Text>
          <span>{formatDateTime(o.start, lang)}</span>
          <span>{formatDateTime(o.end, lang)}</span>
        </Flex>
      ),
    },
    {
      title: t('market.order.total'),
      key: 'total',
      width: 130,
      align: 'right',
      render: (_, o) => (
        <Flex vertical gap={0} align="flex-end">
          <Typography.Text strong data-testid={`order-total-${o.id}`}>
            {formatCny(o.totalAmount, lang)}
          </Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            <UnitPrice price={o.unitPrice} unit={o.unit} />
          </Typography.Text>
          {o.settledAmount !== null ? (
            <Tooltip title={t('market.orders.settledHint')}>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('market.orders.settled')} {formatCny(o.settledAmount, lang)}
              </Typography.Text>
            </Tooltip>
          ) : null}
          {o.rating ? <Rate disabled value={o.rating.stars} style={{ fontSize: 11 }} data-testid={`order-rating-${o.id}`} /> : null}
        </Flex>
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 180,
      fixed: 'right',
      render: (_, o) => (
        <Space size={4} wrap>
          {orderActions(o, user).map((action) => button(o, action))}
        </Space>
      ),
    },
  ];

  return (
    <div data-testid="orders-page">
      <PageHeader title={enterprise ? t('nav.myOrders') : t('nav.orders')} subtitle={t('market.orders.subtitle')} />
      <Card>
        <Flex wrap gap={12} style={{ marginBottom: 16 }}>
          {enterprise ? (
            <Segmented<Role>
              value={role}
              onChange={(value) => setFilter({ role: value })}
              options={[
                { value: 'all', label: t('common.all') },
                ...(isDemander(user) ? [{ value: 'buyer' as Role, label: t('market.orders.asBuyer') }] : []),
                ...(isSupplier(user) ? [{ value: 'supplier' as Role, label: t('market.orders.asSupplier') }] : []),
              ]}
              data-testid="orders-role"
            />
          ) : null}
          <Select
            allowClear
            placeholder={t('market.orders.statePlaceholder')}
            value={state}
            onChange={(value?: string) => setFilter({ state: value })}
            options={ORDER_STATES.map((s) => ({ value: s, label: te('market.orderState', s) }))}
            style={{ width: 160 }}
            data-testid="orders-state"
          />
        </Flex>
        <CursorTable<Order>
          list={list}
          pages={pages}
          testId="orders-table"
          rowKey="id"
          columns={columns}
          size="small"
          scroll={{ x: 1060 }}
          className="suanli-table-numeric"
          onRow={(o) => ({ 'data-testid': `order-row-${o.id}`, 'data-state': o.state, style: o.id === highlight ? { background: '#eff6ff' } : undefined }) as React.HTMLAttributes<HTMLElement>}
          empty={t('market.orders.empty')}
          emptyTestId="orders-empty"
          totalTestId="orders-total"
          nextTestId="orders-next"
        />
      </Card>
      <RatingModal
        order={rating}
        onClose={() => setRating(null)}
        onRated={() => {
          setRating(null);
          list.reload();
        }}
      />
    </div>
  );
}
