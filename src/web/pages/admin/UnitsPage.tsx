import { PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Col,
  Empty,
  Flex,
  Input,
  Popconfirm,
  Row,
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
import type { Unit, UnitReferences } from '../../features/admin/api.ts';
import { unitReferencesOf, useDeleteUnit, useUnitDirectory } from '../../features/admin/api.ts';
import { UnitImportCard } from '../../features/admin/UnitImport.tsx';
import type { UnitFormTarget } from '../../features/admin/UnitForm.tsx';
import { UnitFormModal } from '../../features/admin/UnitForm.tsx';
import type { UnitNode } from '../../features/admin/unit-tree.ts';
import { branchIds, buildUnitTree, filterUnitTree } from '../../features/admin/unit-tree.ts';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';

const LEVEL_COLORS = { province: 'red', city: 'blue', county: 'green' } as const;

/** Why a delete was refused, in words: "下级单位 1 个、用户 2 个". */
function DeleteRefused({ unit, error, onClose }: { unit: Unit; error: unknown; onClose: () => void }) {
  const { t } = useTranslation();
  const references = unitReferencesOf(error);
  if (!references) {
    return <ErrorAlert error={error} />;
  }
  const what = (Object.entries(references) as [keyof UnitReferences, number][])
    .filter(([, count]) => count > 0)
    .map(([kind, count]) => t(`admin.units.references.${kind}`, { count }))
    .join(t('admin.units.listSeparator'));
  return (
    <Alert
      type="warning"
      showIcon
      closable={{ onClose }}
      title={
        what
          ? t('admin.units.inUse', { name: unit.name, what })
          : t('admin.units.inUseUnknown', { name: unit.name })
      }
    />
  );
}

function UnitsView() {
  const { t } = useTranslation();
  const units = useUnitDirectory();
  const remove = useDeleteUnit();
  const [search, setSearch] = useState('');
  const [target, setTarget] = useState<UnitFormTarget | null>(null);
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());
  const [refused, setRefused] = useState<{ unit: Unit; error: unknown } | null>(null);

  const tree = useMemo(() => buildUnitTree(units.data ?? []), [units.data]);
  const shown = useMemo(() => filterUnitTree(tree, search), [tree, search]);
  const branches = useMemo(() => branchIds(shown), [shown]);
  const expanded = branches.filter((id) => !collapsed.has(id));

  const columns: TableColumnsType<UnitNode<Unit>> = [
    {
      key: 'name',
      title: t('admin.units.columns.name'),
      render: (_, unit) => <Typography.Text strong>{unit.name}</Typography.Text>,
    },
    {
      key: 'code',
      title: t('admin.units.columns.code'),
      render: (_, unit) => <Typography.Text code>{unit.code}</Typography.Text>,
    },
    {
      key: 'level',
      title: t('admin.units.columns.level'),
      render: (_, unit) => <Tag color={LEVEL_COLORS[unit.level]}>{t(`admin.levels.${unit.level}`)}</Tag>,
    },
    {
      key: 'responsibilities',
      title: t('admin.units.columns.responsibilities'),
      render: (_, unit) =>
        unit.areas.length + unit.keywords.length === 0 ? (
          <Typography.Text type="secondary">—</Typography.Text>
        ) : (
          <Space orientation="vertical" size={2}>
            {unit.areas.length > 0 && (
              <Flex gap={4} wrap align="center">
                <Typography.Text type="secondary">{t('admin.units.areas')}：</Typography.Text>
                {unit.areas.map((area) => (
                  <Tag key={area}>{area}</Tag>
                ))}
              </Flex>
            )}
            {unit.keywords.length > 0 && (
              <Typography.Text type="secondary">
                {t('admin.units.keywords')}：{unit.keywords.join('、')}
              </Typography.Text>
            )}
          </Space>
        ),
    },
    {
      key: 'actions',
      title: t('admin.units.columns.actions'),
      render: (_, unit) => (
        <Space wrap size={0}>
          <Button
            type="link"
            size="small"
            aria-label={`${t('admin.units.edit')} ${unit.name}`}
            onClick={() => setTarget({ mode: 'edit', unit })}
          >
            {t('admin.units.edit')}
          </Button>
          <Button
            type="link"
            size="small"
            aria-label={`${t('admin.units.createChild')} ${unit.name}`}
            onClick={() => setTarget({ mode: 'create', parent: unit })}
          >
            {t('admin.units.createChild')}
          </Button>
          <Popconfirm
            title={t('admin.units.deleteConfirm', { name: unit.name })}
            okText={t('admin.units.delete')}
            okButtonProps={{ danger: true }}
            cancelText={t('common.cancel')}
            onConfirm={() =>
              remove.mutate(unit.id, {
                onSuccess: () => setRefused(null),
                onError: (error) => setRefused({ unit, error }),
              })
            }
          >
            <Button type="link" size="small" danger aria-label={`${t('admin.units.delete')} ${unit.name}`}>
              {t('admin.units.delete')}
            </Button>
          </Popconfirm>
        </Space>
      ),
    },
  ];

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={16}>
        <Card
          title={t('admin.units.title')}
          extra={
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setTarget({ mode: 'create', parent: null })}
            >
              {t('admin.units.create')}
            </Button>
          }
        >
          <Space orientation="vertical" style={{ width: '100%' }}>
            {units.isPending && <Skeleton active />}
            {units.isError && <LoadError error={units.error} onRetry={() => void units.refetch()} />}
            {units.data && units.data.length === 0 && <Empty description={t('admin.units.empty')} />}
            {units.data && units.data.length > 0 && (
              <>
                <Flex gap={8} wrap justify="space-between" align="center">
                  <Input.Search
                    allowClear
                    aria-label={t('admin.units.search')}
                    placeholder={t('admin.units.search')}
                    onChange={(e) => setSearch(e.target.value)}
                    onSearch={setSearch}
                    style={{ maxWidth: 360 }}
                  />
                  <Space wrap>
                    <Typography.Text type="secondary">
                      {t('admin.units.count', { count: units.data.length })}
                    </Typography.Text>
                    <Button size="small" onClick={() => setCollapsed(new Set())}>
                      {t('admin.units.expandAll')}
                    </Button>
                    <Button size="small" onClick={() => setCollapsed(new Set(branchIds(tree)))}>
                      {t('admin.units.collapseAll')}
                    </Button>
                  </Space>
                </Flex>
                {refused && (
                  <DeleteRefused unit={refused.unit} error={refused.error} onClose={() => setRefused(null)} />
                )}
                <Table<UnitNode<Unit>>
                  data-testid="unit-tree"
                  size="small"
                  rowKey="id"
                  columns={columns}
                  dataSource={shown}
                  pagination={false}
                  scroll={{ x: 'max-content' }}
                  locale={{ emptyText: <Empty description={t('admin.units.noMatch')} /> }}
                  expandable={{
                    expandedRowKeys: expanded,
                    onExpand: (open, record) =>
                      setCollapsed((previous) => {
                        const next = new Set(previous);
                        if (open) {
                          next.delete(record.id);
                        } else {
                          next.add(record.id);
                        }
                        return next;
                      }),
                  }}
                />
              </>
            )}
          </Space>
        </Card>
      </Col>
      <Col xs={24} xl={8}>
        <UnitImportCard units={units.data ?? []} />
      </Col>
      {target && units.data && (
        <UnitFormModal target={target} units={units.data} onClose={() => setTarget(null)} />
      )}
    </Row>
  );
}

export function UnitsPage() {
  return (
    <AdminGate>
      <UnitsView />
    </AdminGate>
  );
}
