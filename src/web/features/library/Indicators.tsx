import { UploadOutlined } from '@ant-design/icons';
import type { TableColumnsType } from 'antd';
import { Button, Flex, Input, Progress, Select, Table, Tag, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';
import type { Indicator, Visibility } from './api.ts';
import { PAGE_SIZE, useImportIndicators, useIndicators, VISIBILITIES } from './api.ts';
import { acceptsFile, INDICATOR_EXTENSIONS } from './snippet.ts';

/** Tables of indicators (指标): imported from .xlsx or CSV all rows or none, searched by name. */
export function Indicators() {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [page, setPage] = useState(1);
  const [visibility, setVisibility] = useState<Visibility>('all');
  const [percent, setPercent] = useState(0);
  const [fileError, setFileError] = useState<string | null>(null);
  const indicators = useIndicators(name, page);
  const importer = useImportIndicators(setPercent);
  const columns: TableColumnsType<Indicator> = [
    { title: t('integration.library.indicator.name'), dataIndex: 'name', width: 220 },
    {
      title: t('integration.library.indicator.value'),
      key: 'value',
      width: 140,
      render: (_, i) => `${i.value}${i.unit ? ` ${i.unit}` : ''}`,
    },
    { title: t('integration.library.year'), dataIndex: 'year', width: 80 },
    {
      title: t('integration.library.indicator.region'),
      dataIndex: 'region',
      width: 120,
      render: (r: string | null) => r ?? '—',
    },
    {
      title: t('integration.library.source'),
      dataIndex: 'source',
      width: 160,
      render: (s: string | null) => s ?? '—',
    },
    {
      title: t('integration.library.indicator.kind'),
      dataIndex: 'kind',
      width: 100,
      render: (k: Indicator['kind']) => (
        <Tag color={k === 'binding' ? 'red' : 'blue'}>{t(`integration.library.indicator.kinds.${k}`)}</Tag>
      ),
    },
  ];
  return (
    <Flex vertical gap={8}>
      <Flex gap={8} wrap align="center">
        <Select
          aria-label={t('integration.library.visibility')}
          value={visibility}
          onChange={setVisibility}
          options={VISIBILITIES.filter((v) => v !== 'plan').map((v) => ({
            value: v,
            label: t(`integration.library.visibilities.${v}`),
          }))}
          style={{ minWidth: 140 }}
        />
        <Upload
          accept=".xlsx,.csv"
          showUploadList={false}
          beforeUpload={(file) => {
            if (!acceptsFile(file.name, INDICATOR_EXTENSIONS)) {
              setFileError(t('integration.library.unsupported', { name: file.name }));
              return Upload.LIST_IGNORE;
            }
            setFileError(null);
            setPercent(0);
            importer.mutate({ file, visibility });
            return false;
          }}
        >
          <Button icon={<UploadOutlined />} loading={importer.isPending}>
            {t('integration.library.indicator.import')}
          </Button>
        </Upload>
        <Input.Search
          aria-label={t('integration.library.indicator.search')}
          placeholder={t('integration.library.indicator.search')}
          allowClear
          onSearch={(v) => {
            setName(v);
            setPage(1);
          }}
          style={{ flex: '1 1 200px', maxWidth: 320 }}
        />
      </Flex>
      <span style={{ color: 'rgba(0,0,0,0.45)' }}>{t('integration.library.indicator.hint')}</span>
      {importer.isPending && <Progress percent={percent} size="small" />}
      {fileError && <ErrorAlert error={new Error(fileError)} />}
      {importer.isError && <ErrorAlert error={importer.error} />}
      {importer.isSuccess && (
        <Tag color="green">{t('integration.library.indicator.imported', { count: importer.data.count })}</Tag>
      )}
      {indicators.isError && (
        <ErrorAlert error={indicators.error} onRetry={() => void indicators.refetch()} />
      )}
      <Table
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={indicators.data?.items ?? []}
        loading={indicators.isFetching}
        scroll={{ x: 820 }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: indicators.data?.total ?? 0,
          onChange: setPage,
          showSizeChanger: false,
        }}
      />
    </Flex>
  );
}
