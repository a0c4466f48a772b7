import { Badge, Button, Empty, Flex, Mentions, Select, Skeleton, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';
import { ItemList } from '../../ui/ItemList.tsx';
import { PlainText } from '../../ui/PlainText.tsx';
import { useMe } from '../auth/api.ts';
import type { Message, ThreadSubject } from './api.ts';
import {
  useCreateThread,
  useLiveThread,
  useLoadOlder,
  useMarkRead,
  usePeople,
  usePostMessage,
  useThread,
  useThreads,
} from './api.ts';
import { matchPeople } from './messages.ts';

function MessageRow({ message, mine }: { message: Message; mine: boolean }) {
  const { t, i18n } = useTranslation();
  return (
    <Flex vertical gap={2} data-testid="discussion-message">
      <Flex gap={6} wrap align="baseline">
        <Typography.Text strong>{message.authorName ?? t('integration.discussion.someone')}</Typography.Text>
        {mine && <Tag>{t('integration.discussion.me')}</Tag>}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {new Date(message.createdAt).toLocaleString(i18n.language)}
          {message.editedAt && ` · ${t('integration.discussion.edited')}`}
        </Typography.Text>
      </Flex>
      {message.deletedAt ? (
        <Typography.Text type="secondary" italic>
          {t('integration.discussion.deleted')}
        </Typography.Text>
      ) : (
        <PlainText text={message.body} />
      )}
    </Flex>
  );
}

function Composer({ threadId }: { threadId: string }) {
  const { t } = useTranslation();
  const people = usePeople(threadId);
  const post = usePostMessage(threadId);
  const [body, setBody] = useState('');
  const [typed, setTyped] = useState('');
  const options = useMemo(
    () =>
      matchPeople(people.data ?? [], typed).map((p) => ({
        key: p.id,
        value: p.login,
        label: `${p.name} (${p.login})`,
      })),
    [people.data, typed],
  );
  const send = () => {
    const text = body.trim();
    if (text) {
      post.mutate(text, { onSuccess: () => setBody('') });
    }
  };
  return (
    <Flex vertical gap={6}>
      <Mentions
        aria-label={t('integration.discussion.message')}
        placeholder={t('integration.discussion.placeholder')}
        autoSize={{ minRows: 2, maxRows: 6 }}
        value={body}
        onChange={setBody}
        onSearch={(text) => setTyped(text)}
        filterOption={false}
        options={options}
        maxLength={10_000}
      />
      <Flex gap={8} align="center" wrap>
        <Button type="primary" onClick={send} loading={post.isPending} disabled={!body.trim()}>
          {t('integration.discussion.send')}
        </Button>
        {post.data && post.data.droppedMentions.length > 0 && (
          <Typography.Text type="warning">
            {t('integration.discussion.dropped', { names: post.data.droppedMentions.join('、') })}
          </Typography.Text>
        )}
      </Flex>
      {post.isError && <ErrorAlert error={post.error} />}
    </Flex>
  );
}

/** One thread: its messages, live, and a box to write in. Reading it moves the reader's marker. */
export function ThreadView({ threadId, channel }: { threadId: string; channel: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const thread = useThread(threadId);
  const older = useLoadOlder(threadId);
  const markRead = useMarkRead(threadId);
  const live = useLiveThread(threadId, channel);
  const lastSeq = thread.data?.messages.at(-1)?.seq ?? 0;
  const lastRead = thread.data?.thread.lastReadSeq ?? 0;
  const { mutate: mark } = markRead;
  useEffect(() => {
    if (lastSeq > lastRead) {
      mark(lastSeq);
    }
  }, [lastSeq, lastRead, mark]);
  if (thread.isPending) {
    return <Skeleton active />;
  }
  if (thread.isError) {
    return <ErrorAlert error={thread.error} onRetry={() => void thread.refetch()} />;
  }
  const { messages, hasMore } = thread.data;
  return (
    <Flex vertical gap={8} data-testid="discussion-thread">
      <Flex gap={6} align="center">
        <Badge
          status={live === 'live' ? 'success' : live === 'connecting' ? 'processing' : 'default'}
          text={t(`integration.discussion.live.${live}`)}
        />
      </Flex>
      {hasMore && messages[0] && (
        <Button size="small" loading={older.isPending} onClick={() => older.mutate(messages[0]!.seq)}>
          {t('integration.discussion.older')}
        </Button>
      )}
      {older.isError && <ErrorAlert error={older.error} />}
      {messages.length === 0 ? (
        <Empty description={t('integration.discussion.noMessages')} />
      ) : (
        <ItemList
          items={messages}
          itemKey={(m) => m.id}
          render={(m) => <MessageRow message={m} mine={m.authorId === me.data?.id} />}
        />
      )}
      <Composer threadId={threadId} />
    </Flex>
  );
}

/**
 * The discussion of a clause or a conflict among the units concerned and the organizers: its threads
 * with unread counts, the chosen one live, and a way to start one.
 */
export function DiscussionPanel({
  roundId,
  subject,
  defaultTitle,
}: {
  roundId: string;
  subject: ThreadSubject;
  defaultTitle: string;
}) {
  const { t } = useTranslation();
  const threads = useThreads(roundId, subject);
  const create = useCreateThread(roundId, subject);
  const [chosen, setChosen] = useState<string | undefined>();
  const current = threads.data?.find((th) => th.id === chosen) ?? threads.data?.[0];
  return (
    <Flex vertical gap={8} data-testid="discussion">
      <Flex gap={8} wrap align="center" justify="space-between">
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('integration.discussion.title')}
        </Typography.Title>
        <Button
          size="small"
          loading={create.isPending}
          onClick={() =>
            create.mutate(
              threads.data && threads.data.length > 0
                ? `${defaultTitle} (${threads.data.length + 1})`
                : defaultTitle,
              { onSuccess: (thread) => setChosen(thread.id) },
            )
          }
        >
          {t('integration.discussion.start')}
        </Button>
      </Flex>
      {create.isError && <ErrorAlert error={create.error} />}
      {threads.isPending && <Skeleton active paragraph={{ rows: 2 }} />}
      {threads.isError && <ErrorAlert error={threads.error} onRetry={() => void threads.refetch()} />}
      {threads.data?.length === 0 && <Empty description={t('integration.discussion.none')} />}
      {threads.data && threads.data.length > 1 && (
        <Select
          aria-label={t('integration.discussion.pick')}
          value={current?.id}
          onChange={setChosen}
          style={{ maxWidth: '100%' }}
          options={threads.data.map((th) => ({
            value: th.id,
            label: th.unreadCount > 0 ? `${th.title} (${th.unreadCount})` : th.title,
          }))}
        />
      )}
      {current && (
        <>
          {current.unreadCount > 0 && (
            <Typography.Text type="secondary" data-testid="discussion-unread">
              {t('integration.discussion.unread', { count: current.unreadCount })}
            </Typography.Text>
          )}
          <ThreadView key={current.id} threadId={current.id} channel={current.channel} />
        </>
      )}
    </Flex>
  );
}
