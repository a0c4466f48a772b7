import { Button, Layout, Menu, Space, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import type { Me } from '../features/auth/api.ts';
import { useAuthActions } from '../features/auth/api.ts';
import { NotificationBell } from '../features/notifications/components/NotificationBell.tsx';
import { switchLanguage } from '../i18n/index.ts';
import { navItems, selectedNav } from './navigation.ts';

export function Shell({ me, children }: { me: Me; children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const { signOut } = useAuthActions();
  const { pathname } = useLocation();
  const items = navItems(me.roles);
  const selected = selectedNav(items, pathname);
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header
        style={{
          display: 'flex',
          alignItems: 'center',
          justifyContent: 'space-between',
          flexWrap: 'wrap',
          gap: 12,
          paddingInline: 16,
          // On a phone the account menu wraps: the header grows instead of spilling over the page.
          height: 'auto',
          minHeight: 64,
          paddingBlock: 8,
          lineHeight: 1.5,
        }}
      >
        <Typography.Text strong style={{ color: '#fff', fontSize: 18, whiteSpace: 'nowrap' }}>
          {t('app.name')}
        </Typography.Text>
        <nav aria-label={t('nav.menu')} style={{ flex: '1 1 200px', minWidth: 0 }}>
          <Menu
            theme="dark"
            mode="horizontal"
            selectedKeys={selected ? [selected] : []}
            style={{ background: 'transparent', borderBottom: 'none', lineHeight: '40px' }}
            items={items.map((item) => ({
              key: item.path,
              label: <Link to={item.path}>{t(item.label)}</Link>,
            }))}
          />
        </nav>
        <Space wrap size="small">
          <NotificationBell userId={me.id} />
          <Typography.Text style={{ color: '#fff' }} data-testid="current-user">
            {me.name} · {me.roles.map((r) => t(`roles.${r}`)).join('、')}
          </Typography.Text>
          <Button size="small" onClick={() => void switchLanguage(i18n.language === 'en' ? 'zh-CN' : 'en')}>
            {t('nav.language')}
          </Button>
          <Button size="small" onClick={() => void signOut()}>
            {t('nav.signOut')}
          </Button>
        </Space>
      </Layout.Header>
      <Layout.Content style={{ padding: 16, maxWidth: 1400, width: '100%', margin: '0 auto' }}>
        {children}
      </Layout.Content>
    </Layout>
  );
}
