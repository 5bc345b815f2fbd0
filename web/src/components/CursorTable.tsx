import { LeftOutlined, ReloadOutlined, RightOutlined } from '@ant-design/icons';
import { Button, Empty, Flex, Space, Table, Typography, type TableProps } from 'antd';
import type { ReactNode } from 'react';
import { formatNumber } from '../format.ts';
import type { useCursorStack } from '../hooks/useCursorStack.ts';
import type { RequestState } from '../hooks/useRequest.ts';
import { useI18n } from '../i18n.ts';
import { ErrorState } from './ErrorState.tsx';

export interface CursorPage<T> {
  items: T[];
  total: number;
  nextCursor: string | null;
}

export interface CursorTableProps<T> extends Pick<TableProps<T>, 'columns' | 'rowKey' | 'onRow' | 'scroll' | 'size' | 'className'> {
  list: RequestState<CursorPage<T>>;
  pages: ReturnType<typeof useCursorStack>;
  /** data-testids of the table, the total and the next button (tests find them). */
  testId: string;
  totalTestId?: string;
  nextTestId?: string;
  empty: ReactNode;
  emptyTestId?: string;
  /** A refresh button beside the pager (off where the page has its own). */
  refresh?: boolean;
}

/**
 * A cursor-paged list: the error state when the first load fails, the table (kept while the next
 * page loads), an empty state, and the total with refresh / previous / page / next below it.
 */
export function CursorTable<T extends object>({ list, pages, testId, totalTestId, nextTestId, empty, emptyTestId, refresh = true, size = 'small', ...table }: CursorTableProps<T>) {
  const { t, lang } = useI18n();
  if (list.error && !list.data) return <ErrorState error={list.error} onRetry={list.reload} />;
  return (
    <>
      <Table<T>
        {...table}
        size={size}
        dataSource={list.data?.items ?? []}
        loading={list.loading}
        pagination={false}
        data-testid={testId}
        locale={{ emptyText: list.loading ? <div style={{ height: 120 }} /> : <Empty description={empty} data-testid={emptyTestId} /> }}
      />
      <Flex justify="space-between" align="center" style={{ marginTop: 16 }}>
        <Typography.Text type="secondary" data-testid={totalTestId}>
          {list.data ? t('common.total', { total: formatNumber(list.data.total, lang) }) : ''}
        </Typography.Text>
        <Space>
          {refresh ? <Button icon={<ReloadOutlined />} onClick={list.reload} aria-label={t('common.refresh')} /> : null}
          <Button icon={<LeftOutlined />} disabled={pages.page <= 1 || list.loading} onClick={pages.prev}>
            {t('common.prev')}
          </Button>
          <Typography.Text>{t('common.page', { page: pages.page })}</Typography.Text>
          <Button disabled={!list.data?.nextCursor || list.loading} onClick={() => pages.next(list.data?.nextCursor)} data-testid={nextTestId}>
            {t('common.next')}
            <RightOutlined />
          </Button>
        </Space>
      </Flex>
    </>
  );
}
