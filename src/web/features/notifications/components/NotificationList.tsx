import { Badge, Button, Empty, Flex, message, Segmented, Skeleton, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert, errorMessage } from '../../../ui/ErrorAlert.tsx';
import { ItemList } from '../../../ui/ItemList.tsx';
import type { Notification } from '../api.ts';
import { useMarkRead, useNotifications, useUnreadCount } from '../api.ts';
import { groupByDay, kindColor, kindLabelKey, notificationPath } from '../notifications.ts';

function NotificationItem({
  notification,
  roles,
  onRead,
  marking,
}: {
  notification: Notification;
  roles: readonly string[];
  onRead: (id: string) => void;
  marking: boolean;
}) {
  const { t, i18n } = useTranslation();
  const language = i18n.language === 'en' ? 'en' : 'zh';
  const unread = notification.readAt === null;
  const path = notificationPath(notification, roles);
  const body = notification.body[language];
  return (
    <Flex vertical gap={4}>
      <Flex gap={8} align="center" wrap>
        {unread && <Badge status="processing" text={t('notifications.list.unreadMarker')} />}
        <Tag color={kindColor[notification.kind]} style={{ marginInlineEnd: 0 }}>
          {t(kindLabelKey(notification.kind))}
        </Tag>
        <Typography.Text type="secondary">
          <time dateTime={notification.createdAt}>
            {new Date(notification.createdAt).toLocaleString(i18n.language)}
          </time>
        </Typography.Text>
      </Flex>
      <Typography.Text strong={unread} style={{ overflowWrap: 'anywhere' }}>
        {notification.subject[language]}
      </Typography.Text>
      {body && (
        <Typography.Paragraph
          type="secondary"
          ellipsis={{ rows: 2, tooltip: body }}
          style={{ marginBottom: 0, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}
        >
          {body}
        </Typography.Paragraph>
      )}
      <Flex gap={12} wrap align="center">
        {path && (
          <Link to={path} onClick={() => unread && onRead(notification.id)}>
            {t('notifications.list.open')}
          </Link>
        )}
        {unread && (
          <Button
            type="link"
            size="small"
            style={{ paddingInline: 0 }}
            loading={marking}
            onClick={() => onRead(notification.id)}
          >
            {t('notifications.list.markRead')}
          </Button>
        )}
      </Flex>
    </Flex>
  );
}

/** The inbox: newest first by day, unread marked, each leading to its object; mark one or all read. */
export function NotificationList({ roles }: { roles: readonly string[] }) {
  const { t } = useTranslation();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const list = useNotifications(unreadOnly);
  const unread = useUnreadCount();
  const markRead = useMarkRead();
  const [messageApi, contextHolder] = message.useMessage();
  const items = useMemo(() => (list.data?.pages ?? []).flatMap((page) => page.items), [list.data]);
  const groups = useMemo(() => groupByDay(items, new Date()), [items]);
  const first = list.data?.pages[0];
  const unreadCount = unread.data ?? first?.unread ?? 0;
  const onError = (error: unknown) => void messageApi.error(errorMessage(error));

  return (
    <Flex vertical gap={12}>
      {contextHolder}
      <Flex gap={8} wrap align="center" justify="space-between">
        <Flex gap={12} wrap align="center">
          <Segmented<'all' | 'unread'>
            aria-label={t('notifications.list.show')}
            value={unreadOnly ? 'unread' : 'all'}
            onChange={(value) => setUnreadOnly(value === 'unread')}
            options={[
              { value: 'all', label: t('notifications.list.all') },
              { value: 'unread', label: t('notifications.list.unread') },
            ]}
          />
          {first && (
            <Typography.Text type="secondary" data-testid="notification-summary">
              {t('notifications.list.summary', { total: first.total, unread: unreadCount })}
            </Typography.Text>
          )}
        </Flex>
        <Button
          disabled={unreadCount === 0}
          loading={markRead.isPending && markRead.variables && 'all' in markRead.variables}
          onClick={() =>
            markRead.mutate(
              { all: true },
              { onSuccess: () => void messageApi.success(t('notifications.list.allRead')), onError },
            )
          }
        >
          {t('notifications.list.markAllRead')}
        </Button>
      </Flex>
      {list.isPending ? (
        <Skeleton active />
      ) : list.isError ? (
        <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />
      ) : items.length === 0 ? (
        <Empty description={t(unreadOnly ? 'notifications.list.emptyUnread' : 'notifications.list.empty')} />
      ) : (
        groups.map(({ group, items: grouped }) => (
          <section key={group} aria-label={t(`notifications.groups.${group}`)}>
            <Typography.Title level={5} style={{ margin: '4px 0 0' }}>
              {t(`notifications.groups.${group}`)}
            </Typography.Title>
            <ItemList
              items={grouped}
              itemKey={(n) => n.id}
              itemProps={(n) => ({
                'data-testid': 'notification-item',
                'data-unread': n.readAt === null ? 'true' : 'false',
              })}
              render={(n) => (
                <NotificationItem
                  notification={n}
                  roles={roles}
                  marking={
                    markRead.isPending &&
                    Boolean(
                      markRead.variables &&
                      'ids' in markRead.variables &&
                      markRead.variables.ids.includes(n.id),
                    )
                  }
                  onRead={(id) => markRead.mutate({ ids: [id] }, { onError })}
                />
              )}
            />
          </section>
        ))
      )}
      {list.hasNextPage && (
        <Button loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
          {t('notifications.list.loadMore')}
        </Button>
      )}
    </Flex>
  );
}
