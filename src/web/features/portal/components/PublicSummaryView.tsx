import { Card, List, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PublicSummary } from '../api.ts';

/** 你说我做: per clause, the grouped comments with their counts, and what was done about them. */
export function PublicSummaryView({ summary }: { summary: PublicSummary }) {
  const { t } = useTranslation();
  return (
    <section aria-label={t('portal.summary.title')}>
      <Typography.Title level={3}>{t('portal.summary.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">
        {t('portal.summary.intro', { count: summary.comments })}
      </Typography.Paragraph>
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        {summary.clauses.map((clause) => (
          <Card
            key={clause.clauseStableId ?? 'whole'}
            size="small"
            title={
              clause.clauseStableId === null
                ? t('portal.summary.whole')
                : `${clause.number ?? clause.heading ?? ''} ${clause.excerpt ?? ''}`.trim()
            }
          >
            <List
              dataSource={clause.clusters}
              renderItem={(cluster, i) => (
                <List.Item key={i} aria-label={t('portal.summary.cluster', { count: cluster.size })}>
                  <Space orientation="vertical" size={4} style={{ width: '100%' }}>
                    <Space wrap>
                      <Tag color="blue">{t('portal.summary.cluster', { count: cluster.size })}</Tag>
                      {cluster.dispositions.map((d) => (
                        <Tag key={d.code}>
                          {t(`portal.summary.dispositions.${d.code}`, { defaultValue: d.code })} × {d.count}
                        </Tag>
                      ))}
                    </Space>
                    <Typography.Text>
                      <Typography.Text strong>{t('portal.summary.said')}：</Typography.Text>
                      {cluster.representative}
                    </Typography.Text>
                    <Typography.Text>
                      <Typography.Text strong>{t('portal.summary.done')}：</Typography.Text>
                      {cluster.response
                        ? `${t(`portal.summary.dispositions.${cluster.response.code}`, { defaultValue: cluster.response.code })}${cluster.response.reason ? `（${cluster.response.reason}）` : ''}`
                        : t('portal.summary.pending')}
                    </Typography.Text>
                  </Space>
                </List.Item>
              )}
            />
          </Card>
        ))}
      </Space>
    </section>
  );
}
