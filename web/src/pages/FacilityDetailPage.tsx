import { EditOutlined } from '@ant-design/icons';
import { Button, Card, Col, Flex, Row, Skeleton, Space } from 'antd';
import { Link, useNavigate, useParams } from 'react-router';
import { api, apiWithEtag, versionFromEtag } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { FacilityMonitoringCard } from '../charts/facilitySeries/FacilityMonitoringCard.tsx';
import { ErrorState } from '../components/ErrorState.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { FacilityStatusTag } from '../components/Tags.tsx';
import { FacilityDescriptions } from '../features/ledger/FacilityDescriptions.tsx';
import { HistoryTimeline } from '../features/ledger/HistoryTimeline.tsx';
import { useRequest } from '../hooks/useRequest.ts';
import { useI18n } from '../i18n.ts';
import { canRequestChange } from '../roles.ts';
import type { Facility, HistoryEntry } from '../types.ts';

export function FacilityDetailPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const { user } = useAuth();
  const navigate = useNavigate();
  const path = `/facilities/${encodeURIComponent(id)}`;
  const facility = useRequest((signal) => apiWithEtag<Facility>(path, { signal, quiet: true }), [path]);
  const history = useRequest((signal) => api<{ items: HistoryEntry[] }>(`${path}/history`, { signal, quiet: true }), [path]);

  if (facility.error) {
    return (
      <Card>
        <ErrorState
          error={facility.error}
          onRetry={facility.reload}
          title={t('detail.notFound')}
          action={
            <Button type="primary" onClick={() => navigate('/facilities')}>
              {t('nav.facilities')}
            </Button>
          }
        />
      </Card>
    );
  }
  const data = facility.data?.data;
  if (!data) {
    return (
      <Card>
        <Skeleton active paragraph={{ rows: 10 }} />
      </Card>
    );
  }
  const version = versionFromEtag(facility.data?.etag ?? null) ?? data.version;

  return (
    <div data-testid="facility-detail-page">
      <PageHeader
        title={
          <Space>
            {data.name}
            <FacilityStatusTag status={data.status} />
          </Space>
        }
        subtitle={
          <Space separator="·">
            <Link to="/facilities">{t('nav.facilities')}</Link>
            <span>{data.computeId}</span>
          </Space>
        }
        extra={
          <>
            <Button onClick={() => navigate(-1)}>{t('common.back')}</Button>
            {canRequestChange(user, data) ? (
              <Button
                type="primary"
                icon={<EditOutlined />}
                onClick={() => navigate(`/registrations/new?facility=${encodeURIComponent(data.id)}&version=${version}`)}
                data-testid="request-change"
              >
                {t('detail.requestChange')}
              </Button>
            ) : null}
          </>
        }
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} xxl={16}>
          <FacilityDescriptions facility={data} />
        </Col>
        <Col xs={24} xxl={8}>
          <Card title={t('detail.history')} data-testid="history-card">
            {history.error ? (
              <ErrorState error={history.error} onRetry={history.reload} />
            ) : history.loading && !history.data ? (
              <Skeleton active />
            ) : (
              <Flex vertical>
                <HistoryTimeline items={history.data?.items ?? []} />
              </Flex>
            )}
          </Card>
        </Col>
        <Col xs={24}>
          <FacilityMonitoringCard facilityId={data.id} />
        </Col>
      </Row>
    </div>
  );
}
