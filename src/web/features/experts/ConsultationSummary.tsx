import { Button, Card, Col, Flex, Input, Popconfirm, Progress, Row, Skeleton, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';
import { PlainText } from '../../ui/PlainText.tsx';
import { useCloseConsultation, useConsultationSummary } from './api.ts';
import { scoreBars } from './answers.ts';

/** The experts' answers side by side: recommendation, feasibility score and reasons, then by question. */
export function ConsultationSummaryView({
  consultationId,
  canManage,
}: {
  consultationId: string;
  canManage: boolean;
}) {
  const { t } = useTranslation();
  const summary = useConsultationSummary(consultationId);
  const close = useCloseConsultation(consultationId);
  const [reason, setReason] = useState('');
  if (summary.isPending) {
    return <Skeleton active />;
  }
  if (summary.isError) {
    return <ErrorAlert error={summary.error} onRetry={() => void summary.refetch()} />;
  }
  const s = summary.data;
  const bars = scoreBars(s.scoreCounts);
  return (
    <Flex vertical gap={8} data-testid="consultation-summary">
      <Flex gap={8} wrap align="center">
        <Tag color={s.status === 'open' ? 'processing' : 'default'}>
          {t(`integration.experts.status.${s.status}`)}
        </Tag>
        <Typography.Text data-testid="answer-count">
          {t('integration.experts.answered', { answered: s.answered, invited: s.invited, min: s.minAnswers })}
        </Typography.Text>
        {s.minimumMet ? (
          <Tag color="green">{t('integration.experts.minimumMet')}</Tag>
        ) : (
          <Tag color="orange">{t('integration.experts.minimumNotMet')}</Tag>
        )}
        {s.meanScore !== null && (
          <Typography.Text>
            {t('integration.experts.scores', { mean: s.meanScore, median: s.medianScore })}
          </Typography.Text>
        )}
      </Flex>
      {s.answered > 0 && (
        <Flex vertical gap={0} style={{ maxWidth: 320 }} aria-label={t('integration.experts.distribution')}>
          {bars.map((width, i) => (
            <Flex key={i} gap={6} align="center">
              <Typography.Text style={{ width: 16 }}>{i + 1}</Typography.Text>
              <Progress percent={width} showInfo={false} size="small" style={{ flex: 1, margin: 0 }} />
              <Typography.Text type="secondary">{s.scoreCounts[i]}</Typography.Text>
            </Flex>
          ))}
        </Flex>
      )}
      <Row gutter={[8, 8]}>
        {s.experts.map((e) => (
          <Col key={e.expertId} xs={24} md={12} xl={8}>
            <Card
              size="small"
              title={e.name}
              data-testid="expert-answer"
              style={{ height: '100%' }}
              extra={<Tag>{t(`integration.experts.assignment.${e.status}`)}</Tag>}
            >
              <Flex vertical gap={4}>
                <Typography.Text type="secondary">
                  {[e.title, e.organisation].filter(Boolean).join(' · ')}
                </Typography.Text>
                {e.status === 'answered' ? (
                  <>
                    <Typography.Text strong>{t('integration.experts.recommendation')}</Typography.Text>
                    <PlainText text={e.recommendation} />
                    <Typography.Text>
                      {t('integration.experts.feasibility')}: <Tag color="blue">{e.feasibility}/5</Tag>
                    </Typography.Text>
                    <Typography.Text strong>{t('integration.experts.reasons')}</Typography.Text>
                    <PlainText text={e.reasons} />
                  </>
                ) : (
                  <Typography.Text type="secondary">{t('integration.experts.waiting')}</Typography.Text>
                )}
              </Flex>
            </Card>
          </Col>
        ))}
      </Row>
      {s.byQuestion.some((q) => q.answers.length > 0) &&
        s.byQuestion.map((q) => (
          <Flex key={q.index} vertical gap={2}>
            <Typography.Text strong>
              {q.index + 1}. {q.question}
            </Typography.Text>
            {q.answers.map((a) => (
              <Typography.Paragraph key={a.expertId} style={{ whiteSpace: 'pre-wrap', marginBottom: 2 }}>
                <Typography.Text type="secondary">{a.name}：</Typography.Text>
                {a.answer}
              </Typography.Paragraph>
            ))}
          </Flex>
        ))}
      {canManage && s.status === 'open' && (
        <Flex gap={8} wrap align="center">
          {!s.minimumMet && (
            <Input
              aria-label={t('integration.experts.closeReason')}
              placeholder={t('integration.experts.closeReason')}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              style={{ maxWidth: 320 }}
            />
          )}
          <Popconfirm
            title={t('integration.experts.closeConfirm')}
            okText={t('common.confirm')}
            cancelText={t('common.cancel')}
            onConfirm={() => close.mutate(s.minimumMet ? {} : { force: true, reason: reason.trim() || null })}
          >
            <Button size="small" loading={close.isPending} disabled={!s.minimumMet && !reason.trim()}>
              {t('integration.experts.close')}
            </Button>
          </Popconfirm>
        </Flex>
      )}
      {close.isError && <ErrorAlert error={close.error} />}
    </Flex>
  );
}
