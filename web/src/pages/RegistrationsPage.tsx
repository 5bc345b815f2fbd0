import { CheckOutlined, CloseOutlined, LeftOutlined, PlusOutlined, ReloadOutlined, RightOutlined } from '@ant-design/icons';
import { App, Button, Card, Empty, Flex, Form, Input, Modal, Segmented, Space, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { api } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { ErrorState } from '../components/ErrorState.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { RegionName } from '../components/RegionName.tsx';
import { RegistrationStatusTag } from '../components/Tags.tsx';
import { RegistrationDrawer } from '../features/registration/RegistrationDrawer.tsx';
import { formatDateTime, formatNumber } from '../format.ts';
import { useCursorStack } from '../hooks/useCursorStack.ts';
import { useRequest } from '../hooks/useRequest.ts';
import { useI18n } from '../i18n.ts';
import { canRegister, canReview, registrationsMode } from '../roles.ts';
import type { Page, Registration, RegistrationStatus } from '../types.ts';

const STATUS_FILTERS = ['all', 'draft', 'submitted', 'approved', 'rejected'] as const;
type StatusFilter = (typeof STATUS_FILTERS)[number];
const LIMIT = 20;

export function RegistrationsPage() {
  const { t, te, lang } = useI18n();
  const { user } = useAuth();
  const { message, modal } = App.useApp();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const mode = registrationsMode(user);
  const reviewer = canReview(user);
  const defaultStatus: StatusFilter = mode === 'reviewer' ? 'submitted' : 'all';
  const statusParam = params.get('status') as StatusFilter | null;
  const status: StatusFilter = statusParam && STATUS_FILTERS.includes(statusParam) ? statusParam : defaultStatus;
  const pages = useCursorStack(status);

  const list = useRequest(
    (signal) =>
      api<Page<Registration>>('/registrations', {
        query: { status: status === 'all' ? undefined : status, limit: LIMIT, cursor: pages.cursor },
        signal,
      }),
    [status, pages.cursor],
  );

  const [selected, setSelected] = useState<Registration | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [rejecting, setRejecting] = useState<Registration | null>(null);
  const [rejectForm] = Form.useForm<{ reason: string }>();

  const afterDecision = () => {
    setSelected(null);
    list.reload();
  };

  const approve = (registration: Registration) => {
    modal.confirm({
      title: `${t('reg.approve')} · ${registration.data?.name ?? registration.id}`,
      content: t('reg.approveConfirm'),
      okText: t('reg.approve'),
      cancelText: t('common.cancel'),
      okButtonProps: { 'data-testid': 'confirm-approve' } as Record<string, string>,
      onOk: async () => {
        setBusy(registration.id);
        try {
          await api(`/registrations/${encodeURIComponent(registration.id)}/approve`, { method: 'POST' });
          void message.success(t('reg.approved'));
          afterDecision();
        } catch {
          // shown by api.ts
        } finally {
          setBusy(null);
        }
      },
    });
  };

  const submitReject = async () => {
    if (!rejecting) return;
    const { reason } = await rejectForm.validateFields();
    setBusy(rejecting.id);
    try {
      await api(`/registrations/${encodeURIComponent(rejecting.id)}/reject`, { method: 'POST', body: { reason: reason.trim() } });
      void message.success(t('reg.rejected'));
      setRejecting(null);
      rejectForm.resetFields();
      afterDecision();
    } catch {
      // shown by api.ts
    } finally {
      setBusy(null);
    }
  };

  const submitDraft = async (registration: Registration) => {
    setBusy(registration.id);
    try {
      await api(`/registrations/${encodeURIComponent(registration.id)}/submit`, { method: 'POST' });
      void message.success(t('form.submitted'));
      list.reload();
    } catch {
      // shown by api.ts
    } finally {
      setBusy(null);
    }
  };

  const actionsFor = (registration: Registration, inDrawer = false) => {
    const buttons = [];
    if (reviewer && registration.status === 'submitted') {
      buttons.push(
        <Button
          key="approve"
          type="primary"
          size={inDrawer ? 'middle' : 'small'}
          icon={<CheckOutlined />}
          loading={busy === registration.id}
          onClick={() => approve(registration)}
          data-testid={`approve-${registration.id}`}
        >
          {t('reg.approve')}
        </Button>,
        <Button
          key="reject"
          danger
          size={inDrawer ? 'middle' : 'small'}
          icon={<CloseOutlined />}
          disabled={busy === registration.id}
          onClick={() => setRejecting(registration)}
          data-testid={`reject-${registration.id}`}
        >
          {t('reg.reject')}
        </Button>,
      );
    }
    if (canRegister(user) && registration.orgId === user?.orgId && (registration.status === 'draft' || registration.status === 'rejected')) {
      buttons.push(
        <Button key="edit" size={inDrawer ? 'middle' : 'small'} onClick={() => navigate(`/registrations/new?draft=${encodeURIComponent(registration.id)}`)}>
          {t('common.edit')}
        </Button>,
      );
      if (registration.status === 'draft') {
        buttons.push(
          <Button key="submit" size={inDrawer ? 'middle' : 'small'} type="primary" loading={busy === registration.id} onClick={() => void submitDraft(registration)}>
            {t('reg.submitDraft')}
          </Button>,
        );
      }
    }
    return buttons;
  };

  const columns: TableColumnsType<Registration> = [
    {
      title: t('reg.facility'),
      key: 'facility',
      render: (_, r) => (
        <Flex vertical>
          <Button type="link" onClick={() => setSelected(r)} data-testid={`view-${r.id}`} style={{ padding: 0, height: 'auto', textAlign: 'start', whiteSpace: 'normal' }}>
            {r.data?.name ?? r.id}
          </Button>
          {r.computeId ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {r.computeId}
            </Typography.Text>
          ) : null}
        </Flex>
      ),
    },
    { title: t('reg.type'), dataIndex: 'type', key: 'type', render: (v: string) => te('regType', v) },
    { title: t('field.region'), key: 'region', render: (_, r) => <RegionName code={r.regionCode} fallback={r.regionName} /> },
    ...(mode !== 'supplier' ? [{ title: t('reg.org'), dataIndex: 'orgName', key: 'org' }] : []),
    {
      title: t('field.status'),
      dataIndex: 'status',
      key: 'status',
      render: (v: RegistrationStatus, r) => (
        <Flex vertical gap={2} align="flex-start">
          <RegistrationStatusTag status={v} />
          {v === 'rejected' && r.reason ? (
            <Typography.Text type="danger" style={{ fontSize: 12, maxWidth: 220 }} ellipsis={{ tooltip: r.reason }}>
              {r.reason}
            </Typography.Text>
          ) : null}
        </Flex>
      ),
    },
    { title: t('reg.createdBy'), key: 'createdBy', render: (_, r) => r.createdByName || r.createdBy },
    { title: t('reg.submittedAt'), key: 'submittedAt', render: (_, r) => formatDateTime(r.submittedAt ?? r.createdAt, lang) },
    {
      title: t('reg.decidedBy'),
      key: 'decided',
      render: (_, r) => (r.decidedAt ? `${r.decidedByName ?? r.decidedBy ?? ''} · ${formatDateTime(r.decidedAt, lang)}` : '—'),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      width: 230,
      render: (_, r) => (
        <Space size="small" wrap>
          <Button size="small" type="link" onClick={() => setSelected(r)}>
            {t('common.view')}
          </Button>
          {actionsFor(r)}
        </Space>
      ),
    },
  ];

  const title = mode === 'admin' ? t('reg.titleAdmin') : mode === 'reviewer' ? t('reg.titleReviewer') : t('reg.titleSupplier');
  const subtitle = mode === 'supplier' ? t('reg.subtitleSupplier') : t('reg.subtitleReviewer');
  const emptyText = mode === 'reviewer' && status === 'submitted' ? t('reg.emptyQueue') : t('reg.empty');

  return (
    <div data-testid="registrations-page">
      <PageHeader
        title={title}
        subtitle={subtitle}
        extra={
          canRegister(user) ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/registrations/new')}>
              {t('reg.new')}
            </Button>
          ) : undefined
        }
      />
      <Card>
        <Flex justify="space-between" align="center" wrap gap={12} style={{ marginBottom: 16 }}>
          <Segmented<StatusFilter>
            value={status}
            onChange={(value) => setParams(value === defaultStatus ? {} : { status: value }, { replace: true })}
            options={STATUS_FILTERS.map((s) => ({ value: s, label: s === 'all' ? t('common.all') : te('regStatus', s) }))}
            data-testid="registration-status-filter"
          />
          <Button icon={<ReloadOutlined />} onClick={list.reload}>
            {t('common.refresh')}
          </Button>
        </Flex>
        {list.error && !list.data ? (
          <ErrorState error={list.error} onRetry={list.reload} />
        ) : (
          <>
            <Table<Registration>
              rowKey="id"
              columns={columns}
              dataSource={list.data?.items ?? []}
              loading={list.loading}
              pagination={false}
              scroll={{ x: 1100 }}
              size="middle"
              data-testid="registrations-table"
              onRow={(r) => ({ 'data-testid': `registration-row-${r.id}`, 'data-name': r.data?.name ?? '' }) as React.HTMLAttributes<HTMLElement>}
              locale={{
                emptyText: list.loading ? (
                  <div style={{ height: 120 }} />
                ) : (
                  <Empty description={emptyText} data-testid="registrations-empty">
                    {mode === 'supplier' ? <Typography.Text type="secondary">{t('reg.emptySupplierHint')}</Typography.Text> : null}
                  </Empty>
                ),
              }}
            />
            <Flex justify="space-between" align="center" style={{ marginTop: 16 }}>
              <Typography.Text type="secondary" data-testid="registrations-total">
                {list.data ? t('common.total', { total: formatNumber(list.data.total, lang) }) : ''}
              </Typography.Text>
              <Space>
                <Button icon={<LeftOutlined />} disabled={pages.page <= 1 || list.loading} onClick={pages.prev}>
                  {t('common.prev')}
                </Button>
                <Typography.Text>{t('common.page', { page: pages.page })}</Typography.Text>
                <Button disabled={!list.data?.nextCursor || list.loading} onClick={() => pages.next(list.data?.nextCursor)}>
                  {t('common.next')}
                  <RightOutlined />
                </Button>
              </Space>
            </Flex>
          </>
        )}
      </Card>

      <RegistrationDrawer
        registration={selected}
        onClose={() => setSelected(null)}
        actions={selected ? <Space>{actionsFor(selected, true)}</Space> : undefined}
      />

      <Modal
        open={rejecting !== null}
        title={`${t('reg.rejectTitle')} · ${rejecting?.data?.name ?? ''}`}
        okText={t('reg.reject')}
        cancelText={t('common.cancel')}
        okButtonProps={{ danger: true, loading: busy !== null && busy === rejecting?.id, ...({ 'data-testid': 'confirm-reject' } as object) }}
        onOk={() => void submitReject().catch(() => {})}
        onCancel={() => {
          setRejecting(null);
          rejectForm.resetFields();
        }}
        destroyOnHidden
      >
        <Form form={rejectForm} layout="vertical" preserve={false}>
          <Form.Item
            name="reason"
            label={t('reg.rejectReason')}
            extra={t('reg.rejectReasonHint')}
            rules={[{ required: true, whitespace: true, message: t('reg.rejectReasonRequired') }]}
          >
            <Input.TextArea rows={4} maxLength={1000} showCount data-testid="reject-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
