import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';

export function VersionComparePage() {
  const { t } = useTranslation();
  return <Typography.Title level={3}>{t('compare.title')}</Typography.Title>;
}
