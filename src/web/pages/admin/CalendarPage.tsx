import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';

export function CalendarPage() {
  const { t } = useTranslation();
  return <Typography.Title level={3}>{t('admin.title')}</Typography.Title>;
}
