import { Card } from 'antd';
import { useTranslation } from 'react-i18next';
import { ExpertInbox } from '../../features/experts/Inbox.tsx';

export function ExpertInboxPage() {
  const { t } = useTranslation();
  return (
    <Card title={t('integration.experts.inboxTitle')}>
      <ExpertInbox />
    </Card>
  );
}
