import { Button, Empty, Flex, message, Select, Skeleton, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert, errorMessage } from '../../../ui/ErrorAlert.tsx';
import { useUnitDirectory } from '../../admin/api.ts';
import type { Delivery, DeliveryStatus } from '../api.ts';
import { DELIVERY_STATUSES, useDeliveries, useRetryDelivery } from '../api.ts';
import { kindColor, kindLabelKey } from '../notifications.ts';

const STATUS_COLORS: Record<DeliveryStatus, string> = {
  pending: 'blue',
  sending: 'processing',
  sent: 'green',
  failed: 'orange',
  dead: 'red',
};

const RETRYABLE = new Set<DeliveryStatus>(['failed', 'dead']);

/** E-mail and group-robot deliveries, the dead letters first, with their last error and a retry. */
export function DeliveryTable() {
  const { t, i18n } = useTranslation();
  const [status, setStatus] = useState<DeliveryStatus | null>('dead');
  const deliveries = useDeliveries(status);
  const units = useUnitDirectory();
  const retry = useRetryDelivery();
  const [messageApi, contextHolder] = message.useMessage();
  const unitName = useMemo(() => new Map((units.data ?? []).map((u) => [u.id, u.name])), [units.data]);
  const formatTime = (iso: string) => new Date(iso).toLocaleString(i18n.language);

  const columns: TableColumnsType<Delivery> = [
    {
      key: 'createdAt',
      title: t('notifications.deliveries.columns.createdAt'),
      render: (_, d) => <time dateTime={d.createdAt}>{formatTime(d.createdAt)}</time>,
    },
    {
      key: 'target',
      title: t('notifications.deliveries.columns.target'),
      render: (_, d) => (
        <Flex vertical gap={2} align="flex-start">
          <Flex gap={4} wrap>
            <Tag>{t(`notifications.deliveries.channels.${d.channel}`)}</Tag>
            {d.digest && <Tag>{t('notifications.deliveries.digest')}</Tag>}
          </Flex>
          <Typography.Text style={{ overflowWrap: 'anywhere' }}>
            {d.channel === 'email'
              ? d.target
              : t('notifications.deliveries.robotOf', {
                  unit: (d.unitId && unitName.get(d.unitId)) ?? d.unitId ?? d.target,
                })}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      key: 'kind',
      title: t('notifications.deliveries.columns.kind'),
      render: (_, d) => <Tag color={kindColor[d.kind]}>{t(kindLabelKey(d.kind))}</Tag>,
    },
    {
      key: 'subject',
      title: t('notifications.deliveries.columns.subject'),
      render: (_, d) => (
        <Typography.Text style={{ display: 'block', minWidth: 160, maxWidth: 320, overflowWrap: 'anywhere' }}>
          {d.subject}
        </Typography.Text>
      ),
    },
    {
      key: 'status',
      title: t('notifications.deliveries.columns.status'),
      render: (_, d) => (
        <Tag color={STATUS_COLORS[d.status]} data-testid="delivery-status">
          {t(`notifications.deliveries.statuses.${d.status}`)}
        </Tag>
      ),
    },
    {
      key: 'attempts',
      title: t('notifications.deliveries.columns.attempts'),
      render: (_, d) => t('notifications.deliveries.attempts', { attempts: d.attempts, max: d.maxAttempts }),
    },
    {
      key: 'error',
      title: t('notifications.deliveries.columns.error'),
      render: (_, d) =>
        d.lastError ? (
          <Typography.Paragraph
            type="danger"
            ellipsis={{ rows: 3, tooltip: d.lastError }}
            style={{ marginBottom: 0, minWidth: 200, maxWidth: 360, overflowWrap: 'anywhere' }}
            data-testid="delivery-error"
          >
            {d.lastError}
          </Typography.Paragraph>
        ) : (
          <Typography.Text type="secondary">{t('notifications.deliveries.noError')}</Typography.Text>
        ),
    },
    {
      key: 'actions',
      title: t('notifications.deliveries.columns.actions'),
      fixed: 'right',
      render: (_, d) =>
        RETRYABLE.has(d.status) ? (
          <Button
            size="small"
            aria-label={`${t('notifications.deliveries.retry')} ${d.subject}`}
            loading={retry.isPending && retry.variables === d.id}
            onClick={() =>
              retry.mutate(d.id, {
                onSuccess: () => void messageApi.success(t('notifications.deliveries.retried')),
                onError: (error) => void messageApi.error(errorMessage(error)),
              })
            }
          >
            {t('notifications.deliveries.retry')}
          </Button>
        ) : null,
    },
  ];

  return (
    <Flex vertical gap={12}>
      {contextHolder}
      <Flex gap={12} wrap align="center">
        <Select<DeliveryStatus>
          allowClear
          aria-label={t('notifications.deliveries.status')}
          placeholder={t('notifications.deliveries.status')}
          value={status ?? undefined}
          onChange={(value) => setStatus(value ?? null)}
          options={DELIVERY_STATUSES.map((s) => ({
            value: s,
            label: t(`notifications.deliveries.statuses.${s}`),
          }))}
          style={{ width: 200, maxWidth: '100%' }}
        />
        {deliveries.data && (
          <Typography.Text type="secondary">
            {t('notifications.deliveries.count', { count: deliveries.data.length })}
          </Typography.Text>
        )}
      </Flex>
      {deliveries.isPending ? (
        <Skeleton active />
      ) : deliveries.isError ? (
        <ErrorAlert error={deliveries.error} onRetry={() => void deliveries.refetch()} />
      ) : (
        <Table<Delivery>
          data-testid="delivery-table"
          size="small"
          rowKey="id"
          columns={columns}
          dataSource={deliveries.data}
          loading={deliveries.isFetching}
          pagination={deliveries.data.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: <Empty description={t('notifications.deliveries.empty')} /> }}
        />
      )}
    </Flex>
  );
}
