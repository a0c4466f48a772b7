import { BellOutlined } from '@ant-design/icons';
import { Badge } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useLiveUnread, useUnreadCount } from '../api.ts';

/** The header's bell: the unread count, kept live, leading to the notifications page. */
export function NotificationBell({ userId }: { userId: string }) {
  const { t } = useTranslation();
  const unread = useUnreadCount();
  useLiveUnread(userId);
  const count = unread.data ?? 0;
  const label = t('notifications.bell.label', { count });
  return (
    <Link
      to="/notifications"
      aria-label={label}
      title={label}
      data-testid="notification-bell"
      style={{ display: 'inline-flex', alignItems: 'center', padding: 4 }}
    >
      <Badge count={count} size="small" overflowCount={99}>
        <BellOutlined style={{ color: '#fff', fontSize: 18 }} />
      </Badge>
    </Link>
  );
}
