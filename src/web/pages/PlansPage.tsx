import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Empty, List, Skeleton, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';

interface Plan {
  id: string;
  name: string;
  description: string | null;
  versionCount: number;
  updatedAt: string;
}

export function PlansPage() {
  const { t, i18n } = useTranslation();
  const plans = useQuery({ queryKey: ['plans'], queryFn: () => api<Plan[]>('/plans') });
  return (
    <Card title={t('plans.title')}>
      {plans.isPending && <Skeleton active />}
      {plans.isError && (
        <Alert type="error" showIcon title={t('common.error', { message: plans.error.message })} />
      )}
      {plans.data && plans.data.length === 0 && <Empty description={t('plans.empty')} />}
      {plans.data && plans.data.length > 0 && (
        <List
          dataSource={plans.data}
          renderItem={(plan) => (
            <List.Item>
              <List.Item.Meta
                title={<Typography.Text strong>{plan.name}</Typography.Text>}
                description={[
                  plan.description,
                  t('plans.versions', { count: plan.versionCount }),
                  new Date(plan.updatedAt).toLocaleString(i18n.language),
                ]
                  .filter(Boolean)
                  .join(' · ')}
              />
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
