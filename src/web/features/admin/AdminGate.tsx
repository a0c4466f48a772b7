import { Result } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';
import { useMe } from '../auth/api.ts';
import { isForbidden } from './api.ts';

/** What a non-administrator sees on an administrator's page. */
export function NoPermission() {
  const { t } = useTranslation();
  return (
    <Result
      status="403"
      title={t('admin.noPermission.title')}
      subTitle={t('admin.noPermission.hint')}
      data-testid="no-permission"
    />
  );
}

/** The page for administrators; anyone else gets the no-permission state without a request refused. */
export function AdminGate({ children }: { children: ReactNode }) {
  const me = useMe();
  if (me.data && !me.data.roles.includes('admin')) {
    return <NoPermission />;
  }
  return children;
}

/** A failed load: the no-permission state for a 403, otherwise the error with a retry. */
export function LoadError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  return isForbidden(error) ? <NoPermission /> : <ErrorAlert error={error} onRetry={onRetry} />;
}
