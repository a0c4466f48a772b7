import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';

export function ApprovalsPage() {
  const { t } = useTranslation();
  return <Typography.Title level={3}>{t('leader.title')}</Typography.Title>;
}
