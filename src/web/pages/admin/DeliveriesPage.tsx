import { Card, Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { AdminGate } from '../../features/admin/AdminGate.tsx';
import { DeliveryTable } from '../../features/notifications/components/DeliveryTable.tsx';

/** Notification deliveries for administrators: the dead letters, their errors, and a retry. */
export function DeliveriesPage() {
  const { t } = useTranslation();
  return (
    <AdminGate>
      <Card title={t('notifications.deliveries.title')}>
        <Flex vertical gap={12}>
          <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
            {t('notifications.deliveries.intro')}
          </Typography.Paragraph>
          <DeliveryTable />
        </Flex>
      </Card>
    </AdminGate>
  );
}
