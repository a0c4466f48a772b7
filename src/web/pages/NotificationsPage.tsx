import { Flex, Skeleton, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useUnitDirectory } from '../features/admin/api.ts';
import { UnitTreeSelect } from '../features/admin/UserForms.tsx';
import type { Me } from '../features/auth/api.ts';
import { useMe } from '../features/auth/api.ts';
import { NotificationList } from '../features/notifications/components/NotificationList.tsx';
import { PreferencesForm } from '../features/notifications/components/PreferencesForm.tsx';
import { UnitSettingsForm } from '../features/notifications/components/UnitSettingsForm.tsx';

type Tab = 'inbox' | 'preferences' | 'unit';

/** Administrators set any unit's robots; a unit head sets their own unit's. */
const mayManageUnits = (me: Me) => me.roles.includes('admin');
const ownUnitToManage = (me: Me) => (me.roles.includes('unit_head') ? me.unitId : null);

/** An administrator's choice of unit; their own unit first, if they have one. */
function AnyUnitSettings({ initialUnitId }: { initialUnitId: string | null }) {
  const { t } = useTranslation();
  const units = useUnitDirectory();
  const [unitId, setUnitId] = useState<string | null>(initialUnitId);
  return (
    <Flex vertical gap={12}>
      <UnitTreeSelect
        units={units.data ?? []}
        aria-label={t('notifications.unit.pickUnit')}
        placeholder={t('notifications.unit.pickUnit')}
        value={unitId}
        onChange={setUnitId}
        style={{ width: 360, maxWidth: '100%' }}
      />
      {unitId ? (
        <UnitSettingsForm key={unitId} unitId={unitId} />
      ) : (
        <Typography.Text type="secondary">{t('notifications.unit.pickHint')}</Typography.Text>
      )}
    </Flex>
  );
}

/** The user's notifications, their notification preferences, and the robots of a unit they manage. */
export function NotificationsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const [search, setSearch] = useSearchParams();
  if (!me.data) {
    return <Skeleton active />;
  }
  const admin = mayManageUnits(me.data);
  const ownUnit = ownUnitToManage(me.data);
  const tabs: { key: Tab; label: string; children: React.ReactNode }[] = [
    {
      key: 'inbox',
      label: t('notifications.tabs.inbox'),
      children: <NotificationList roles={me.data.roles} />,
    },
    { key: 'preferences', label: t('notifications.tabs.preferences'), children: <PreferencesForm /> },
  ];
  const unitPanel = admin ? (
    <AnyUnitSettings initialUnitId={me.data.unitId} />
  ) : ownUnit ? (
    <UnitSettingsForm key={ownUnit} unitId={ownUnit} />
  ) : null;
  if (unitPanel) {
    tabs.push({ key: 'unit', label: t('notifications.tabs.unit'), children: unitPanel });
  }
  const requested = search.get('tab');
  const active = tabs.find((tab) => tab.key === requested)?.key ?? 'inbox';
  return (
    <Flex vertical gap={12} style={{ maxWidth: 900, margin: '0 auto' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('notifications.title')}
      </Typography.Title>
      <Tabs
        activeKey={active}
        destroyOnHidden
        onChange={(key) => setSearch(key === 'inbox' ? {} : { tab: key }, { replace: true })}
        items={tabs}
      />
    </Flex>
  );
}
