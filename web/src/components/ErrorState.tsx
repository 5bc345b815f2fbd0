import { Button, Result } from 'antd';
import { ApiError } from '../api.ts';
import { useI18n } from '../i18n.ts';

/** A failed load, in place of the content: what went wrong, and a retry. */
export function ErrorState({ error, onRetry, title, action }: { error: unknown; onRetry?: () => void; title?: string; action?: React.ReactNode }) {
  const { t } = useI18n();
  const status = error instanceof ApiError ? error.status : 0;
  const detail =
    error instanceof ApiError
      ? error.code === 'NETWORK'
        ? t('common.networkError')
        : (error.detail ?? t('common.unknownError', { status }))
      : error instanceof Error
        ? error.message
        : String(error);
  const resultStatus = status === 403 ? '403' : status === 404 ? '404' : 'error';
  return (
    <Result
      status={resultStatus}
      title={title ?? (status === 403 ? t('common.forbidden') : t('common.loadFailed'))}
      subTitle={detail}
      extra={
        <>
          {action}
          {/* Retrying a 404 or 403 cannot help. */}
          {onRetry && status !== 404 && status !== 403 ? <Button onClick={onRetry}>{t('common.retry')}</Button> : null}
        </>
      }
      data-testid="error-state"
    />
  );
}
