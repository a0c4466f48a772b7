import { Button, Form, Input, Modal, Radio, Result, Select, Space, TreeSelect, Typography } from 'antd';
import type { CSSProperties } from 'react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';
import type { Unit, User } from './api.ts';
import { useCreateUser, useUpdateUser } from './api.ts';
import type { UnitNode } from './unit-tree.ts';
import { buildUnitTree } from './unit-tree.ts';
import type { Role } from './users.ts';
import { LOGIN_PATTERN, MIN_PASSWORD_LENGTH, ROLES } from './users.ts';

interface UnitOption {
  value: string;
  title: string;
  children?: UnitOption[];
}

const unitOptions = (nodes: readonly UnitNode<Unit>[]): UnitOption[] =>
  nodes.map((node) => ({
    value: node.id,
    title: node.name,
    ...(node.children ? { children: unitOptions(node.children) } : {}),
  }));

/** A unit picker over the directory tree, searchable by name. */
export function UnitTreeSelect({
  units,
  ...props
}: {
  units: readonly Unit[];
  value?: string | null;
  onChange?: (value: string | null) => void;
  placeholder?: string;
  'aria-label'?: string;
  style?: CSSProperties;
}) {
  const options = useMemo(() => unitOptions(buildUnitTree(units)), [units]);
  return (
    <TreeSelect
      allowClear
      showSearch
      treeDefaultExpandAll
      treeNodeFilterProp="title"
      treeData={options}
      {...props}
      value={props.value ?? undefined}
      onChange={(value: string | undefined) => props.onChange?.(value ?? null)}
    />
  );
}

/** The one-time password, shown once, with a copy button. */
export function PasswordReveal({
  title,
  password,
  onClose,
}: {
  title: string;
  password: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Result
      status="success"
      title={title}
      subTitle={t('admin.users.oneTimeHint')}
      extra={
        <Space orientation="vertical" align="center">
          <Typography.Text type="secondary">{t('admin.users.oneTimePassword')}</Typography.Text>
          <Typography.Text
            code
            strong
            style={{ fontSize: 20 }}
            data-testid="one-time-password"
            copyable={{ text: password, tooltips: [t('admin.users.copy'), t('admin.users.copied')] }}
          >
            {password}
          </Typography.Text>
          <Button type="primary" onClick={onClose}>
            {t('admin.users.close')}
          </Button>
        </Space>
      }
    />
  );
}

const roleOptions = (t: (key: string) => string) =>
  ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }));

interface CreateValues {
  login: string;
  name: string;
  email?: string;
  roles: Role[];
  unitId?: string | null;
  passwordMode: 'generate' | 'manual';
  password?: string;
}

/** Creates an account; then shows the one-time password the server drew, once. */
export function CreateUserModal({ units, onClose }: { units: readonly Unit[]; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<CreateValues>();
  const create = useCreateUser();
  const mode = Form.useWatch('passwordMode', form) ?? 'generate';
  const [created, setCreated] = useState<{ login: string; password: string | null } | null>(null);

  const submit = (values: CreateValues) =>
    create.mutate(
      {
        login: values.login.trim(),
        name: values.name.trim(),
        email: values.email?.trim() || null,
        roles: values.roles,
        unitId: values.unitId ?? null,
        ...(values.passwordMode === 'manual' && values.password ? { password: values.password } : {}),
      },
      { onSuccess: (user) => setCreated({ login: user.login, password: user.oneTimePassword ?? null }) },
    );

  if (created) {
    return (
      <Modal open title={t('admin.users.create')} footer={null} onCancel={onClose} maskClosable={false}>
        {created.password ? (
          <PasswordReveal
            title={t('admin.users.created', { login: created.login })}
            password={created.password}
            onClose={onClose}
          />
        ) : (
          <Result
            status="success"
            title={t('admin.users.created', { login: created.login })}
            subTitle={t('admin.users.createdTyped')}
            extra={
              <Button type="primary" onClick={onClose}>
                {t('common.confirm')}
              </Button>
            }
          />
        )}
      </Modal>
    );
  }

  return (
    <Modal
      open
      title={t('admin.users.create')}
      okText={t('admin.users.submitCreate')}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form<CreateValues>
        name="create-user"
        form={form}
        layout="vertical"
        initialValues={{ roles: [], passwordMode: 'generate', unitId: null }}
        onFinish={submit}
      >
        <Form.Item
          name="login"
          label={t('admin.users.fields.login')}
          extra={t('admin.users.hints.login')}
          rules={[
            { required: true, whitespace: true, message: t('common.required') },
            {
              validator: (_rule, value: string | undefined) =>
                !value || LOGIN_PATTERN.test(value.trim())
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('admin.users.loginInvalid'))),
            },
          ]}
        >
          <Input maxLength={64} autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('admin.users.fields.name')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item
          name="email"
          label={t('admin.users.fields.email')}
          rules={[{ type: 'email', message: t('admin.users.emailInvalid') }]}
        >
          <Input maxLength={200} type="email" />
        </Form.Item>
        <Form.Item name="roles" label={t('admin.users.fields.roles')} extra={t('admin.users.hints.roles')}>
          <Select mode="multiple" options={roleOptions(t)} optionFilterProp="label" />
        </Form.Item>
        <Form.Item name="unitId" label={t('admin.users.fields.unit')} extra={t('admin.users.hints.unit')}>
          <UnitTreeSelect units={units} placeholder={t('admin.users.noUnit')} />
        </Form.Item>
        <Form.Item name="passwordMode" label={t('admin.users.fields.passwordMode')}>
          <Radio.Group
            options={(['generate', 'manual'] as const).map((m) => ({
              value: m,
              label: t(`admin.users.passwordModes.${m}`),
            }))}
          />
        </Form.Item>
        {mode === 'manual' && (
          <Form.Item
            name="password"
            label={t('admin.users.fields.password')}
            extra={t('admin.users.hints.password', { count: MIN_PASSWORD_LENGTH })}
            rules={[
              { required: true, message: t('common.required') },
              {
                min: MIN_PASSWORD_LENGTH,
                message: t('admin.users.passwordTooShort', { count: MIN_PASSWORD_LENGTH }),
              },
            ]}
          >
            <Input.Password maxLength={500} autoComplete="new-password" />
          </Form.Item>
        )}
        {create.isError && <ErrorAlert error={create.error} />}
      </Form>
    </Modal>
  );
}

interface EditValues {
  name: string;
  email?: string | null;
  roles: Role[];
  unitId?: string | null;
}

/** Changes an account's name, email, roles and unit. */
export function EditUserModal({
  user,
  units,
  onClose,
}: {
  user: User;
  units: readonly Unit[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<EditValues>();
  const update = useUpdateUser();
  const submit = (values: EditValues) =>
    update.mutate(
      {
        id: user.id,
        name: values.name.trim(),
        email: values.email?.trim() || null,
        roles: values.roles,
        unitId: values.unitId ?? null,
      },
      { onSuccess: onClose },
    );
  return (
    <Modal
      open
      title={t('admin.users.editTitle', { login: user.login })}
      okText={t('admin.users.save')}
      cancelText={t('common.cancel')}
      confirmLoading={update.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form<EditValues>
        name="edit-user"
        form={form}
        layout="vertical"
        initialValues={{ name: user.name, email: user.email ?? '', roles: user.roles, unitId: user.unitId }}
        onFinish={submit}
      >
        <Form.Item
          name="name"
          label={t('admin.users.fields.name')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item
          name="email"
          label={t('admin.users.fields.email')}
          rules={[{ type: 'email', message: t('admin.users.emailInvalid') }]}
        >
          <Input maxLength={200} type="email" />
        </Form.Item>
        <Form.Item name="roles" label={t('admin.users.fields.roles')} extra={t('admin.users.hints.roles')}>
          <Select mode="multiple" options={roleOptions(t)} optionFilterProp="label" />
        </Form.Item>
        <Form.Item name="unitId" label={t('admin.users.fields.unit')} extra={t('admin.users.hints.unit')}>
          <UnitTreeSelect units={units} placeholder={t('admin.users.noUnit')} />
        </Form.Item>
        {update.isError && <ErrorAlert error={update.error} />}
      </Form>
    </Modal>
  );
}
