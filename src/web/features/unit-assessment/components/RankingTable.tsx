import { Button, Table } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { ASSESSMENT_COMPONENTS } from '../../../../domain/unit-assessment.ts';
import type { UnitAssessmentRow } from '../api.ts';
import type { AssessmentPeriodQuery } from '../figures.ts';
import { compareNullable, formatShare, reportHref } from '../figures.ts';

/** The ranking: every column sortable, unknown values last, a report download per unit. */
export function RankingTable({ rows, query }: { rows: UnitAssessmentRow[]; query: AssessmentPeriodQuery }) {
  const { t } = useTranslation();
  const columns: TableColumnsType<UnitAssessmentRow> = [
    {
      key: 'rank',
      title: t('unitAssessment.columns.rank'),
      dataIndex: 'rank',
      width: 72,
      fixed: 'left',
      defaultSortOrder: 'ascend',
      sorter: (a, b, order) => compareNullable(a.rank, b.rank, order ?? null),
      render: (rank: number | null) => rank ?? '—',
    },
    {
      key: 'unit',
      title: t('unitAssessment.columns.unit'),
      dataIndex: 'name',
      fixed: 'left',
      sorter: (a, b) => a.name.localeCompare(b.name, 'zh-CN'),
    },
    {
      key: 'level',
      title: t('unitAssessment.columns.level'),
      dataIndex: 'level',
      responsive: ['md'],
      render: (level: UnitAssessmentRow['level']) => t(`unitAssessment.levels.${level}`),
    },
    {
      key: 'score',
      title: t('unitAssessment.columns.score'),
      dataIndex: 'score',
      sorter: (a, b, order) => compareNullable(a.score, b.score, order ?? null),
      render: (score: number | null) => <strong>{score ?? '—'}</strong>,
    },
    ...ASSESSMENT_COMPONENTS.map((key) => ({
      key,
      title: t(`unitAssessment.components.${key}`),
      responsive: ['sm' as const],
      sorter: (a: UnitAssessmentRow, b: UnitAssessmentRow, order?: 'ascend' | 'descend' | null) =>
        compareNullable(a.components[key], b.components[key], order ?? null),
      render: (_: unknown, row: UnitAssessmentRow) => formatShare(row.components[key]),
    })),
    {
      key: 'rounds',
      title: t('unitAssessment.columns.rounds'),
      dataIndex: 'rounds',
      responsive: ['md'],
      sorter: (a, b) => a.rounds - b.rounds,
    },
    {
      key: 'report',
      title: t('unitAssessment.columns.report'),
      render: (_: unknown, row: UnitAssessmentRow) => (
        <Button
          size="small"
          href={reportHref(row.unitId, query)}
          download
          aria-label={t('unitAssessment.downloadOf', { unit: row.name })}
        >
          {t('unitAssessment.download')}
        </Button>
      ),
    },
  ];
  return (
    <Table
      rowKey="unitId"
      size="small"
      columns={columns}
      dataSource={rows}
      pagination={rows.length > 50 ? { pageSize: 50 } : false}
      scroll={{ x: 'max-content' }}
    />
  );
}
