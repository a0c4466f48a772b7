import { PlusOutlined } from '@ant-design/icons';
import {
  Button,
  Card,
  Empty,
  Flex,
  Input,
  Modal,
  Popconfirm,
  Select,
  Skeleton,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AdminGate, LoadError } from '../../features/admin/AdminGate.tsx';
import type { User } from '../../features/admin/api.ts';
import {
  useResetPassword,
  useUnitDirectory,
  useUnlockUser,
  useUpdateUser,
  useUsers,
} from '../../features/admin/api.ts';
import {
  CreateUserModal,
  EditUserModal,
  PasswordReveal,
  UnitTreeSelect,
} from '../../features/admin/UserForms.tsx';
import type { AccountState, Role } from '../../features/admin/users.ts';
import { accountStates, isLocked, ROLES, searchUsers } from '../../features/admin/users.ts';
import { useMe } from '../../features/auth/api.ts';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';

const STATE_COLORS: Record<AccountState, string> = {
  active: 'green',
  disabled: 'default',
  locked: 'red',
  mustChangePassword: 'orange',
};

function UsersView() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const units = useUnitDirectory();
  const [role, setRole] = useState<Role | undefined>();
  const [unitId, setUnitId] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const users = useUsers({ role, unitId: unitId ?? undefined });
  const update = useUpdateUser();
  const unlock = useUnlockUser();
  const reset = useResetPassword();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<User | null>(null);
  const [revealed, setRevealed] = useState<{ login: string; password: string } | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);

  const unitName = useMemo(() => new Map((units.data ?? []).map((u) => [u.id, u.name])), [units.data]);
  const shown = useMemo(() => searchUsers(users.data ?? [], search), [users.data, search]);
  const now = new Date();
  const onError = (error: unknown) => setActionError(error);
  const onDone = () => setActionError(null);
  const formatTime = (iso: string) => new Date(iso).toLocaleString(i18n.language);

  const columns: TableColumnsType<User> = [
    {
      key: 'login',
      title: t('admin.users.columns.login'),
      render: (_, user) => (
        <Space size={4}>
          <Typography.Text code>{user.login}</Typography.Text>
          {user.id === me.data?.id && <Tag>{t('admin.users.self')}</Tag>}
        </Space>
      ),
    },
    {
      key: 'name',
      title: t('admin.users.columns.name'),
      render: (_, user) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text strong>{user.name}</Typography.Text>
          {user.email && <Typography.Text type="secondary">{user.email}</Typography.Text>}
        </Space>
      ),
    },
    {
      key: 'unit',
      title: t('admin.users.columns.unit'),
      render: (_, user) =>
        user.unitId ? (
          <Typography.Text>{unitName.get(user.unitId) ?? user.unitId}</Typography.Text>
        ) : (
          <Typography.Text type="secondary">{t('admin.users.noUnit')}</Typography.Text>
        ),
    },
    {
      key: 'roles',
      title: t('admin.users.columns.roles'),
      render: (_, user) =>
        user.roles.length === 0 ? (
          <Typography.Text type="secondary">{t('admin.users.noRoles')}</Typography.Text>
        ) : (
          <Flex gap={4} wrap>
            {user.roles.map((r) => (
              <Tag key={r} color="blue">
                {t(`roles.${r}`)}
              </Tag>
            ))}
          </Flex>
        ),
    },
    {
      key: 'status',
      title: t('admin.users.columns.status'),
      render: (_, user) => (
        <Flex gap={4} wrap data-testid="user-status">
          {accountStates(user, now).map((state) => (
            <Tag
              key={state}
              color={STATE_COLORS[state]}
              title={
                state === 'locked' && user.lockedUntil
                  ? t('admin.users.lockedUntil', { time: formatTime(user.lockedUntil) })
                  : undefined
              }
            >
              {t(`admin.users.states.${state}`)}
            </Tag>
          ))}
        </Flex>
      ),
    },
    {
      key: 'lastLogin',
      title: t('admin.users.columns.lastLogin'),
      render: (_, user) =>
        user.lastLoginAt ? (
          formatTime(user.lastLoginAt)
        ) : (
          <Typography.Text type="secondary">{t('admin.users.neverSignedIn')}</Typography.Text>
        ),
    },
    {
      key: 'actions',
      title: t('admin.users.columns.actions'),
      render: (_, user) => (
        <Space wrap size={0}>
          <Button
            type="link"
            size="small"
            aria-label={`${t('admin.users.edit')} ${user.login}`}
            onClick={() => setEditing(user)}
          >
            {t('admin.users.edit')}
          </Button>
          {isLocked(user, now) && (
            <Button
              type="link"
              size="small"
              aria-label={`${t('admin.users.unlock')} ${user.login}`}
              loading={unlock.isPending && unlock.variables === user.id}
              onClick={() => unlock.mutate(user.id, { onSuccess: onDone, onError })}
            >
              {t('admin.users.unlock')}
            </Button>
          )}
          <Popconfirm
            title={t('admin.users.resetConfirm', { name: user.name })}
            okText={t('admin.users.resetPassword')}
            okButtonProps={{ danger: true }}
            cancelText={t('common.cancel')}
            onConfirm={() =>
              reset.mutate(
                { id: user.id },
                {
                  onSuccess: (result) => {
                    onDone();
                    if (result.oneTimePassword) {
                      setRevealed({ login: result.login, password: result.oneTimePassword });
                    }
                  },
                  onError,
                },
              )
            }
          >
            <Button type="link" size="small" aria-label={`${t('admin.users.resetPassword')} ${user.login}`}>
              {t('admin.users.resetPassword')}
            </Button>
          </Popconfirm>
          {user.status === 'active' && user.id !== me.data?.id && (
            <Popconfirm
              title={t('admin.users.disableConfirm', { name: user.name })}
              okText={t('admin.users.disable')}
              okButtonProps={{ danger: true }}
              cancelText={t('common.cancel')}
              onConfirm={() =>
                update.mutate({ id: user.id, status: 'disabled' }, { onSuccess: onDone, onError })
              }
            >
              <Button
                type="link"
                size="small"
                danger
                aria-label={`${t('admin.users.disable')} ${user.login}`}
              >
                {t('admin.users.disable')}
              </Button>
            </Popconfirm>
          )}
          {user.status === 'disabled' && (
            <Button
              type="link"
              size="small"
              aria-label={`${t('admin.users.enable')} ${user.login}`}
              onClick={() => update.mutate({ id: user.id, status: 'active' }, { onSuccess: onDone, onError })}
            >
              {t('admin.users.enable')}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <Card
      title={t('admin.users.title')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
          {t('admin.users.create')}
        </Button>
      }
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Flex gap={8} wrap>
          <Input.Search
            allowClear
            aria-label={t('admin.users.search')}
            placeholder={t('admin.users.search')}
            onChange={(e) => setSearch(e.target.value)}
            onSearch={setSearch}
            style={{ width: 260, maxWidth: '100%' }}
          />
          <Select<Role>
            allowClear
            aria-label={t('admin.users.filterRole')}
            placeholder={t('admin.users.filterRole')}
            value={role}
            onChange={(value) => setRole(value)}
            options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
            style={{ width: 180, maxWidth: '100%' }}
          />
          <UnitTreeSelect
            units={units.data ?? []}
            aria-label={t('admin.users.filterUnit')}
            placeholder={t('admin.users.filterUnit')}
            value={unitId}
            onChange={setUnitId}
            style={{ width: 260, maxWidth: '100%' }}
          />
        </Flex>
        {actionError !== null && <ErrorAlert error={actionError} />}
        {users.isPending && <Skeleton active />}
        {users.isError && <LoadError error={users.error} onRetry={() => void users.refetch()} />}
        {users.data && users.data.length === 0 && !role && !unitId && (
          <Empty description={t('admin.users.empty')} />
        )}
        {users.data && (users.data.length > 0 || role || unitId) && (
          <>
            <Typography.Text type="secondary">
              {t('admin.users.count', { count: shown.length })}
            </Typography.Text>
            <Table<User>
              data-testid="user-table"
              size="small"
              rowKey="id"
              columns={columns}
              dataSource={shown}
              loading={users.isFetching && !users.isPending}
              pagination={shown.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
              scroll={{ x: 'max-content' }}
              locale={{ emptyText: <Empty description={t('admin.users.noMatch')} /> }}
            />
          </>
        )}
      </Space>
      {creating && <CreateUserModal units={units.data ?? []} onClose={() => setCreating(false)} />}
      {editing && <EditUserModal user={editing} units={units.data ?? []} onClose={() => setEditing(null)} />}
      {revealed && (
        <Modal
          open
          title={t('admin.users.resetPassword')}
          footer={null}
          onCancel={() => setRevealed(null)}
          maskClosable={false}
        >
          <PasswordReveal
            title={t('admin.users.passwordReset', { login: revealed.login })}
            password={revealed.password}
            onClose={() => setRevealed(null)}
          />
        </Modal>
      )}
    </Card>
  );
}

export function UsersPage() {
  return (
    <AdminGate>
      <UsersView />
    </AdminGate>
  );
}
