import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';

export function MetricsPage() {
  const { t } = useTranslation();
  return <Typography.Title level={3}>{t('metrics.title')}</Typography.Title>;
}
