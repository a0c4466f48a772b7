import { Alert, Button, Card, Divider, Layout, Space, Spin, Tag, Typography } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { CommentForm } from '../../features/portal/components/CommentForm.tsx';
import { PublicSummaryView } from '../../features/portal/components/PublicSummaryView.tsx';
import { usePublicRound, usePublicSummary } from '../../features/portal/api.ts';

/**
 * The public page of a public round, served without signing in and laid out for a phone first: the draft
 * clause by clause with the count of comments shown, the comment form, and after the round the summary.
 */
export function PublicRoundPage() {
  const { roundId = '' } = useParams();
  const { t, i18n } = useTranslation();
  const round = usePublicRound(roundId);
  const summary = usePublicSummary(roundId, round.data?.summaryPublished === true);
  const [target, setTarget] = useState<string | null>(null);
  const formRef = useRef<HTMLDivElement>(null);

  const body = (() => {
    if (round.isPending) {
      return <Spin description={t('portal.loading')} />;
    }
    if (round.isError || !round.data) {
      return <Alert type="error" showIcon title={t('portal.notFound')} />;
    }
    const data = round.data;
    const day = (iso: string) => iso.slice(0, 10);
    const commentOn = (stableId: string | null) => {
      setTarget(stableId);
      formRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
    };
    return (
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <header>
          <Typography.Text type="secondary">{t('portal.title')}</Typography.Text>
          <Typography.Title level={2} style={{ marginTop: 4 }}>
            {data.title}
          </Typography.Title>
          <Space wrap>
            <Tag color={data.accepting ? 'green' : 'default'}>
              {data.accepting ? t('portal.open') : t('portal.closed')}
            </Tag>
            <Typography.Text>
              {t('portal.period', { from: day(data.opensAt), to: data.deadline })}
            </Typography.Text>
            <Typography.Text type="secondary">
              {t('portal.comments', { count: data.comments })}
            </Typography.Text>
          </Space>
        </header>
        {summary.data && <PublicSummaryView summary={summary.data} />}
        <section aria-label={t('portal.draft')}>
          <Typography.Title level={3}>{t('portal.draft')}</Typography.Title>
          {data.clauses.map((clause) => {
            const heading = clause.kind === 'heading' || clause.kind === 'chapter' || clause.kind === 'title';
            return (
              <Card
                key={clause.stableId}
                size="small"
                variant={heading ? 'borderless' : 'outlined'}
                style={{ marginBottom: 8 }}
                aria-label={clause.number ?? clause.heading ?? undefined}
              >
                <Typography.Paragraph style={{ marginBottom: 4 }} strong={heading}>
                  {clause.number && <Typography.Text strong>{clause.number} </Typography.Text>}
                  {clause.heading && !clause.text.includes(clause.heading) && (
                    <Typography.Text strong>{clause.heading} </Typography.Text>
                  )}
                  {clause.text}
                </Typography.Paragraph>
                {!heading && (clause.comments > 0 || data.accepting) && (
                  <Space wrap>
                    {clause.comments > 0 && (
                      <Tag>{t('portal.clauseComments', { count: clause.comments })}</Tag>
                    )}
                    {data.accepting && (
                      <Button
                        size="small"
                        aria-label={`${t('portal.comment')} ${clause.number ?? ''}`.trim()}
                        onClick={() => commentOn(clause.stableId)}
                      >
                        {t('portal.comment')}
                      </Button>
                    )}
                  </Space>
                )}
              </Card>
            );
          })}
        </section>
        {data.accepting && (
          <section ref={formRef} aria-label={t('portal.form.title')}>
            <Divider />
            <Typography.Title level={3}>{t('portal.form.title')}</Typography.Title>
            <CommentForm
              key={target ?? 'whole'}
              roundId={roundId}
              clauses={data.clauses}
              target={target}
              onTarget={setTarget}
            />
          </section>
        )}
      </Space>
    );
  })();

  return (
    <Layout style={{ minHeight: '100vh', background: '#fff' }}>
      <Layout.Content style={{ width: '100%', maxWidth: 760, margin: '0 auto', padding: '16px 12px 48px' }}>
        <Space style={{ width: '100%', justifyContent: 'flex-end' }}>
          <Button
            type="link"
            onClick={() => void i18n.changeLanguage(i18n.language === 'en' ? 'zh-CN' : 'en')}
          >
            {t('nav.language')}
          </Button>
        </Space>
        {body}
      </Layout.Content>
    </Layout>
  );
}
