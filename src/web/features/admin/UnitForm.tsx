import { Form, Input, Modal, Select, TreeSelect } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';
import type { Unit, UnitInput } from './api.ts';
import { useCreateUnit, useUpdateUnit } from './api.ts';
import type { UnitLevel, UnitNode } from './unit-tree.ts';
import { buildUnitTree, canBeParent, UNIT_LEVELS } from './unit-tree.ts';

interface UnitFormValues {
  name: string;
  code: string;
  level: UnitLevel;
  parentId?: string | null;
  areas?: string[];
  keywords?: string[];
}

/** What the form opens on: a new unit (optionally under a parent) or an existing one. */
export type UnitFormTarget = { mode: 'create'; parent: Unit | null } | { mode: 'edit'; unit: Unit };

const CODE_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
const LIST_SEPARATORS = [',', '，', ';', '；', '、', '|'];

interface ParentOption {
  value: string;
  title: string;
  disabled: boolean;
  children?: ParentOption[];
}

function parentOptions(
  units: readonly Unit[],
  nodes: readonly UnitNode<Unit>[],
  child: { unitId: string | null; level: UnitLevel },
): ParentOption[] {
  return nodes.map((node) => ({
    value: node.id,
    title: `${node.name}（${node.code}）`,
    disabled: !canBeParent(units, node, child),
    ...(node.children ? { children: parentOptions(units, node.children, child) } : {}),
  }));
}

/** Creates or edits a unit: name, code, level, parent and responsibility list. */
export function UnitFormModal({
  target,
  units,
  onClose,
}: {
  target: UnitFormTarget;
  units: readonly Unit[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<UnitFormValues>();
  const create = useCreateUnit();
  const update = useUpdateUnit();
  const mutation = target.mode === 'create' ? create : update;
  const unitId = target.mode === 'edit' ? target.unit.id : null;
  const level = Form.useWatch('level', form) ?? 'province';
  const tree = useMemo(() => buildUnitTree(units), [units]);
  const options = useMemo(() => parentOptions(units, tree, { unitId, level }), [units, tree, unitId, level]);
  const byId = useMemo(() => new Map(units.map((u) => [u.id, u])), [units]);

  const initialValues: UnitFormValues =
    target.mode === 'edit'
      ? {
          name: target.unit.name,
          code: target.unit.code,
          level: target.unit.level,
          parentId: target.unit.parentId,
          areas: target.unit.areas,
          keywords: target.unit.keywords,
        }
      : {
          name: '',
          code: '',
          // Under a parent, the likeliest level is the one just below it.
          level:
            target.parent === null
              ? 'province'
              : (UNIT_LEVELS[Math.min(UNIT_LEVELS.indexOf(target.parent.level) + 1, 2)] ?? 'county'),
          parentId: target.parent?.id ?? null,
          areas: [],
          keywords: [],
        };

  const submit = (values: UnitFormValues) => {
    const input: UnitInput = {
      name: values.name.trim(),
      code: values.code.trim(),
      level: values.level,
      parentId: values.parentId ?? null,
      areas: values.areas ?? [],
      keywords: values.keywords ?? [],
    };
    if (target.mode === 'edit') {
      update.mutate({ id: target.unit.id, ...input }, { onSuccess: onClose });
    } else {
      create.mutate(input, { onSuccess: onClose });
    }
  };

  const title =
    target.mode === 'edit'
      ? t('admin.units.editTitle', { name: target.unit.name })
      : target.parent
        ? t('admin.units.createChildOf', { name: target.parent.name })
        : t('admin.units.create');

  return (
    <Modal
      open
      title={title}
      okText={target.mode === 'edit' ? t('admin.units.save') : t('admin.units.create')}
      cancelText={t('common.cancel')}
      confirmLoading={mutation.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form<UnitFormValues>
        name="unit"
        form={form}
        layout="vertical"
        initialValues={initialValues}
        onFinish={submit}
      >
        <Form.Item
          name="name"
          label={t('admin.units.fields.name')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item
          name="code"
          label={t('admin.units.fields.code')}
          extra={t('admin.units.hints.code')}
          rules={[
            { required: true, whitespace: true, message: t('common.required') },
            {
              validator: (_rule, value: string | undefined) =>
                !value || CODE_PATTERN.test(value.trim())
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('admin.units.codeInvalid'))),
            },
          ]}
        >
          <Input maxLength={64} />
        </Form.Item>
        <Form.Item
          name="level"
          label={t('admin.units.fields.level')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Select options={UNIT_LEVELS.map((l) => ({ value: l, label: t(`admin.levels.${l}`) }))} />
        </Form.Item>
        <Form.Item
          name="parentId"
          label={t('admin.units.fields.parent')}
          extra={t('admin.units.hints.parent')}
          dependencies={['level']}
          rules={[
            ({ getFieldValue }) => ({
              validator: (_rule, value: string | null | undefined) => {
                const parent = value ? byId.get(value) : undefined;
                const childLevel = getFieldValue('level') as UnitLevel;
                return !parent || canBeParent(units, parent, { unitId, level: childLevel })
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('admin.units.parentInvalid')));
              },
            }),
          ]}
        >
          <TreeSelect
            allowClear
            showSearch
            treeDefaultExpandAll
            treeNodeFilterProp="title"
            placeholder={t('admin.units.topLevel')}
            treeData={options}
          />
        </Form.Item>
        <Form.Item name="areas" label={t('admin.units.fields.areas')} extra={t('admin.units.hints.areas')}>
          <Select mode="tags" tokenSeparators={LIST_SEPARATORS} open={false} suffixIcon={null} />
        </Form.Item>
        <Form.Item
          name="keywords"
          label={t('admin.units.fields.keywords')}
          extra={t('admin.units.hints.keywords')}
        >
          <Select mode="tags" tokenSeparators={LIST_SEPARATORS} open={false} suffixIcon={null} />
        </Form.Item>
        {mutation.isError && <ErrorAlert error={mutation.error} />}
      </Form>
    </Modal>
  );
}
