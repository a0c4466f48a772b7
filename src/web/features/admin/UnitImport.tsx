import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Progress, Space, Table, Typography, Upload } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api.ts';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';
import type { Unit } from './api.ts';
import { useImportUnits } from './api.ts';
import type { CsvLanguage, ImportProblem } from './unit-csv.ts';
import {
  CHINESE_HEADERS,
  csvDataUrl,
  importProblemsOf,
  UNIT_CSV_COLUMNS,
  unitCsvTemplate,
  unitsToCsv,
} from './unit-csv.ts';

const REQUIRED = new Set(['code', 'name', 'level']);

function ImportProblems({ problems }: { problems: ImportProblem[] }) {
  const { t } = useTranslation();
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="unit-import-problems">
      <Alert type="error" showIcon title={t('admin.import.failed', { count: problems.length })} />
      <Table<ImportProblem>
        size="small"
        pagination={problems.length > 20 ? { pageSize: 20 } : false}
        rowKey={(p) => `${p.row}:${p.field}:${p.problem}`}
        dataSource={problems}
        scroll={{ x: 'max-content' }}
        columns={[
          { key: 'row', title: t('admin.import.problemColumns.row'), dataIndex: 'row', width: 70 },
          {
            key: 'field',
            title: t('admin.import.problemColumns.field'),
            render: (_, p) => t(`admin.import.fields.${p.field}`, { defaultValue: p.field }),
          },
          { key: 'problem', title: t('admin.import.problemColumns.problem'), dataIndex: 'problem' },
        ]}
      />
    </Space>
  );
}

/** Imports the unit directory from a CSV file, with a template to start from and the result by row. */
export function UnitImportCard({ units }: { units: readonly Unit[] }) {
  const { t, i18n } = useTranslation();
  const language: CsvLanguage = i18n.language === 'en' ? 'en' : 'zh-CN';
  const upload = useImportUnits();
  const [percent, setPercent] = useState<number | null>(null);
  const template = useMemo(() => csvDataUrl(unitCsvTemplate(language)), [language]);
  const current = useMemo(
    () => (units.length > 0 ? csvDataUrl(unitsToCsv(units, language)) : null),
    [units, language],
  );
  const problems =
    upload.error instanceof ApiError && upload.error.code === 'invalid_csv'
      ? importProblemsOf(upload.error.details)
      : [];

  return (
    <Card title={t('admin.import.title')} size="small">
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('admin.import.hint')}</Typography.Text>
        <Typography.Text strong>{t('admin.import.columnsTitle')}</Typography.Text>
        <ul style={{ margin: 0, paddingInlineStart: 20 }}>
          {UNIT_CSV_COLUMNS.map((column) => (
            <li key={column}>
              <Typography.Text code>{column}</Typography.Text>
              {' / '}
              <Typography.Text code>{CHINESE_HEADERS[column]}</Typography.Text>{' '}
              {t(`admin.import.columnHints.${column}`)}
              {REQUIRED.has(column) && (
                <Typography.Text type="danger">{t('admin.import.required')}</Typography.Text>
              )}
            </li>
          ))}
        </ul>
        <Space wrap>
          <a href={template} download={t('admin.import.templateFile')} data-testid="unit-csv-template">
            <DownloadOutlined /> {t('admin.import.template')}
          </a>
          {current && (
            <a href={current} download={t('admin.import.exportFile')}>
              <DownloadOutlined /> {t('admin.import.export')}
            </a>
          )}
        </Space>
        <Upload
          accept=".csv,text/csv"
          maxCount={1}
          showUploadList={false}
          customRequest={({ file }) => {
            setPercent(0);
            upload.mutate(
              { file: file as File, onProgress: setPercent },
              { onSettled: () => setPercent(null) },
            );
          }}
        >
          <Button icon={<UploadOutlined />} loading={upload.isPending} type="primary">
            {t('admin.import.choose')}
          </Button>
        </Upload>
        {percent !== null && (
          <div aria-live="polite">
            <Progress percent={percent} status="active" aria-label={t('admin.import.progress')} />
            {percent >= 100 && (
              <Typography.Text type="secondary">{t('admin.import.processing')}</Typography.Text>
            )}
          </div>
        )}
        {upload.data && !upload.isPending && (
          <Alert
            type="success"
            showIcon
            data-testid="unit-import-result"
            title={t('admin.import.done', {
              created: upload.data.created,
              updated: upload.data.updated,
              rows: upload.data.rows,
            })}
          />
        )}
        {upload.isError && problems.length > 0 && <ImportProblems problems={problems} />}
        {upload.isError && problems.length === 0 && <ErrorAlert error={upload.error} />}
      </Space>
    </Card>
  );
}
