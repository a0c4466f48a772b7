import { Alert, Button } from 'antd';
import { useTranslation } from 'react-i18next';

/** A failed request: the server's own message, shown as text, with an optional retry. */
export function ErrorAlert({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const message = error instanceof Error ? error.message : String(error);
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      title={t('common.error', { message })}
      action={
        onRetry ? (
          <Button size="small" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        ) : undefined
      }
    />
  );
}

/** The message of an error for inline display. */
export const errorMessage = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);
