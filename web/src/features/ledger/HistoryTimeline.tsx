import { Empty, Flex, Table, Tag, Timeline, Typography } from 'antd';
import { formatDateTime } from '../../format.ts';
import { useI18n } from '../../i18n.ts';
import type { HistoryEntry } from '../../types.ts';
import { changedFields } from './diff.ts';
import { displayValue, fieldLabel } from './display.ts';

const ACTION_COLORS: Record<string, string> = {
  create: 'green',
  created: 'green',
  approve: 'blue',
  approved: 'blue',
  changed: 'blue',
  update: 'blue',
  updated: 'blue',
  change: 'blue',
  import: 'purple',
  imported: 'purple',
  delete: 'red',
  decommission: 'red',
};

/** Change history of a facility, newest first: who, when, request id, and each field before → after. */
export function HistoryTimeline({ items }: { items: HistoryEntry[] }) {
  const { t, te, lang } = useI18n();
  if (items.length === 0) return <Empty description={t('detail.noHistory')} data-testid="history-empty" />;
  const newestFirst = [...items].sort((a, b) => (b.version ?? 0) - (a.version ?? 0) || b.at.localeCompare(a.at));
  return (
    <Timeline
      data-testid="history-timeline"
      items={newestFirst.map((entry, index) => {
        const changes = entry.before ? changedFields(entry.before, entry.after) : [];
        return {
          key: `${entry.version ?? 'x'}-${entry.at}-${index}`,
          color: ACTION_COLORS[entry.action] ?? 'gray',
          content: (
            <Flex vertical gap={4} data-testid={`history-entry-${entry.action}`}>
              <Flex gap={8} align="center" wrap>
                {entry.version !== null ? <Tag>v{entry.version}</Tag> : null}
                <Typography.Text strong data-testid="history-action">
                  {entry.registrationId && entry.action === 'created'
                    ? t('action.createdByApproval')
                    : entry.registrationId && entry.action === 'changed'
                      ? t('action.changedByApproval')
                      : te('action', entry.action)}
                </Typography.Text>
                <Typography.Text type="secondary">{formatDateTime(entry.at, lang)}</Typography.Text>
              </Flex>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('detail.by')}: {entry.actorName ?? entry.actorId ?? '—'}
                {entry.requestId ? ` · ${t('detail.requestId')}: ` : ''}
                {entry.requestId ? <Typography.Text code copyable style={{ fontSize: 12 }}>{entry.requestId}</Typography.Text> : null}
                {entry.registrationId ? ` · ${t('detail.registration')}: ${entry.registrationId}` : ''}
              </Typography.Text>
              {entry.before && entry.after ? (
                changes.length > 0 ? (
                  <Table
                    size="small"
                    pagination={false}
                    rowKey="field"
                    dataSource={changes}
                    style={{ maxWidth: 760 }}
                    columns={[
                      { title: t('detail.changed'), dataIndex: 'field', key: 'field', width: 160, render: (f: string) => fieldLabel(lang, f) },
                      {
                        title: '→',
                        key: 'change',
                        render: (_, change) => (
                          <span>
                            <Typography.Text delete type="secondary">
                              {displayValue(lang, change.field, change.before)}
                            </Typography.Text>
                            {'  →  '}
                            <Typography.Text>{displayValue(lang, change.field, change.after)}</Typography.Text>
                          </span>
                        ),
                      },
                    ]}
                  />
                ) : (
                  <Typography.Text type="secondary">{t('detail.noChangedFields')}</Typography.Text>
                )
              ) : null}
            </Flex>
          ),
        };
      })}
    />
  );
}
