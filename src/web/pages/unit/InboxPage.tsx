import { Button, Card, Empty, Flex, message, Space, Spin, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { MyInvitation } from '../../features/inbox/api.ts';
import { useAcknowledge, useMyInvitations, useRoundLetters } from '../../features/inbox/api.ts';
import { DeadlineTag } from '../../ui/DeadlineTag.tsx';
import { ErrorAlert, errorMessage } from '../../ui/ErrorAlert.tsx';
import { ItemList } from '../../ui/ItemList.tsx';

const DONE = new Set(['sent', 'silent', 'deemed_no_objection']);
const FEEDBACK_STATES = new Set(['feedback', 'finished']);

export const statusColor: Record<string, string> = {
  invited: 'gold',
  acknowledged: 'cyan',
  drafting: 'blue',
  in_review: 'purple',
  signed_off: 'geekblue',
  sent: 'green',
  silent: 'default',
  deemed_no_objection: 'default',
};

function Letters({ invitation }: { invitation: MyInvitation }) {
  const { t } = useTranslation();
  const letters = useRoundLetters(invitation.roundId, FEEDBACK_STATES.has(invitation.roundStatus));
  const mine = (letters.data ?? []).filter((l) => l.unitId === invitation.unitId && l.status === 'sent');
  if (mine.length === 0) {
    return null;
  }
  return (
    <>
      {mine.map((l) => (
        <Link key={l.id} to={`/feedback/${l.id}`}>
          {t('inbox.feedbackLetter')}
        </Link>
      ))}
    </>
  );
}

function InvitationCard({ invitation }: { invitation: MyInvitation }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [messageApi, contextHolder] = message.useMessage();
  const acknowledge = useAcknowledge();
  const done = DONE.has(invitation.status);
  return (
    <Card
      size="small"
      data-testid="invitation"
      title={
        <Typography.Text strong ellipsis={{ tooltip: invitation.roundTitle }}>
          {invitation.roundTitle}
        </Typography.Text>
      }
      extra={<Tag color={statusColor[invitation.status]}>{t(`inbox.status.${invitation.status}`)}</Tag>}
    >
      <Flex vertical gap={8}>
        <Typography.Text type="secondary">{invitation.planName}</Typography.Text>
        <Space wrap size={[4, 4]}>
          <DeadlineTag
            workingDaysLeft={invitation.workingDaysLeft}
            deadline={invitation.deadline}
            done={done}
          />
          {!done && (
            <Typography.Text type="secondary">
              {t('inbox.deadlineOn', { date: invitation.deadline })}
            </Typography.Text>
          )}
          {invitation.extended && <Tag>{t('inbox.extended')}</Tag>}
          {invitation.mandatory && <Tag color="red">{t('inbox.mandatory')}</Tag>}
          {invitation.late && invitation.status === 'sent' && <Tag color="orange">{t('inbox.late')}</Tag>}
          {invitation.replyVersion > 0 && (
            <Tag>{t('inbox.replyVersion', { version: invitation.replyVersion })}</Tag>
          )}
          {invitation.questions.length > 0 && (
            <Tag color="magenta">{t('inbox.questions', { count: invitation.questions.length })}</Tag>
          )}
        </Space>
        <Space wrap>
          {contextHolder}
          <Button type="primary" onClick={() => void navigate(`/invitations/${invitation.id}`)}>
            {t('inbox.open')}
          </Button>
          {invitation.status === 'invited' && (
            <Button
              loading={acknowledge.isPending}
              onClick={() =>
                acknowledge.mutate(invitation.id, {
                  onSuccess: () => void messageApi.success(t('inbox.acknowledged')),
                  onError: (error) => void messageApi.error(errorMessage(error)),
                })
              }
            >
              {t('inbox.acknowledge')}
            </Button>
          )}
          <Letters invitation={invitation} />
        </Space>
      </Flex>
    </Card>
  );
}

/** The unit's solicitations, with deadlines in working days. */
export function InboxPage() {
  const { t } = useTranslation();
  const inbox = useMyInvitations();
  return (
    <Flex vertical gap={12} style={{ maxWidth: 900, margin: '0 auto' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('inbox.title')}
      </Typography.Title>
      {inbox.isPending ? (
        <Spin description={t('common.loading')}>
          <div style={{ minHeight: 80 }} />
        </Spin>
      ) : inbox.isError ? (
        <ErrorAlert error={inbox.error} onRetry={() => void inbox.refetch()} />
      ) : inbox.data.length === 0 ? (
        <Empty description={t('inbox.empty')} />
      ) : (
        <ItemList
          items={inbox.data}
          itemKey={(invitation) => invitation.id}
          minColumnWidth={420}
          render={(invitation) => <InvitationCard invitation={invitation} />}
        />
      )}
    </Flex>
  );
}
