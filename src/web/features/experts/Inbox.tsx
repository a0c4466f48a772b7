import { Empty, Flex, Skeleton, Switch, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';
import { ItemList } from '../../ui/ItemList.tsx';
import { useExpertInbox } from './api.ts';

const COLORS = { invited: 'orange', answered: 'green', declined: 'default' } as const;

/** The consultations sent to the signed-in expert, nearest deadline first. */
export function ExpertInbox() {
  const { t, i18n } = useTranslation();
  const [includeClosed, setIncludeClosed] = useState(false);
  const inbox = useExpertInbox(includeClosed);
  return (
    <Flex vertical gap={8}>
      <Flex gap={8} align="center">
        <Switch
          checked={includeClosed}
          onChange={setIncludeClosed}
          aria-label={t('integration.experts.includeClosed')}
        />
        <Typography.Text>{t('integration.experts.includeClosed')}</Typography.Text>
      </Flex>
      {inbox.isPending && <Skeleton active />}
      {inbox.isError && <ErrorAlert error={inbox.error} onRetry={() => void inbox.refetch()} />}
      {inbox.data?.length === 0 && <Empty description={t('integration.experts.inboxEmpty')} />}
      {inbox.data && inbox.data.length > 0 && (
        <ItemList
          items={inbox.data}
          itemKey={(c) => c.id}
          itemProps={() => ({ 'data-testid': 'expert-inbox-item' })}
          render={(c) => (
            <Flex vertical gap={4}>
              <Flex gap={8} wrap align="center">
                <Link to={`/expert/consultations/${c.id}`}>{c.title}</Link>
                <Tag color={COLORS[c.myStatus]}>{t(`integration.experts.assignment.${c.myStatus}`)}</Tag>
                {c.status === 'closed' && <Tag>{t('integration.experts.status.closed')}</Tag>}
              </Flex>
              <Typography.Text type="secondary">
                {t('integration.experts.questionCount', { count: c.questions.length })}
                {c.deadline &&
                  ` · ${t('integration.experts.deadline', { date: new Date(c.deadline).toLocaleString(i18n.language) })}`}
              </Typography.Text>
            </Flex>
          )}
        />
      )}
    </Flex>
  );
}
