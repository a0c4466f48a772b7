import { Button, Card, Empty, Flex, Form, Input, List, Radio, Select, Skeleton, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';
import { PlainText } from '../../ui/PlainText.tsx';
import type { Round } from '../rounds/api.ts';
import type { Basis, DispositionCode, Objection } from './api.ts';
import { basisCodes, dispositionCodes, useObjections, useReviewObjection } from './api.ts';

interface ReviewForm {
  outcome: 'uphold' | 'change' | 'escalate';
  note: string;
  code?: DispositionCode;
  basis?: Basis;
  reason?: string;
}

function ObjectionReview({ objection, roundId }: { objection: Objection; roundId: string }) {
  const { t } = useTranslation();
  const review = useReviewObjection(roundId);
  const [form] = Form.useForm<ReviewForm>();
  const outcome = Form.useWatch('outcome', form);
  return (
    <Form<ReviewForm>
      form={form}
      layout="vertical"
      initialValues={{ outcome: 'uphold' }}
      onFinish={(v) =>
        review.mutate({
          id: objection.id,
          outcome: v.outcome,
          note: v.note.trim(),
          ...(v.outcome === 'change' && v.code
            ? { newDisposition: { code: v.code, basis: v.basis ?? null, reason: v.reason?.trim() || null } }
            : {}),
        })
      }
    >
      <Form.Item name="outcome" label={t('objections.outcome')}>
        <Radio.Group
          options={(['uphold', 'change', 'escalate'] as const).map((o) => ({
            value: o,
            label: t(`objections.outcomes.${o}`),
          }))}
        />
      </Form.Item>
      <Form.Item
        name="note"
        label={t('objections.note')}
        rules={[{ required: true, whitespace: true, message: t('common.required') }]}
      >
        <Input.TextArea rows={2} />
      </Form.Item>
      {outcome === 'change' && (
        <>
          <Form.Item
            name="code"
            label={t('assessment.code')}
            rules={[{ required: true, message: t('common.required') }]}
          >
            <Select
              options={dispositionCodes.map((c) => ({ value: c, label: t(`assessment.codes.${c}`) }))}
            />
          </Form.Item>
          <Form.Item name="basis" label={t('assessment.basis')}>
            <Select
              allowClear
              options={basisCodes.map((b) => ({ value: b, label: t(`assessment.bases.${b}`) }))}
            />
          </Form.Item>
          <Form.Item name="reason" label={t('assessment.reason')}>
            <Input.TextArea rows={2} />
          </Form.Item>
        </>
      )}
      {review.isError && <ErrorAlert error={review.error} />}
      <Button htmlType="submit" type="primary" loading={review.isPending}>
        {t('objections.submit')}
      </Button>
    </Form>
  );
}

/** A round's objections (异议) once feedback has gone out, each reviewed (复核) in place. */
export function Objections({ round, unitNames }: { round: Round; unitNames: Map<string, string> }) {
  const { t, i18n } = useTranslation();
  const objections = useObjections(round.id, round.status === 'feedback' || round.status === 'finished');
  if (round.status !== 'feedback' && round.status !== 'finished') {
    return <Empty description={t('objections.notYet')} />;
  }
  if (objections.isPending) {
    return <Skeleton active />;
  }
  if (objections.isError) {
    return <ErrorAlert error={objections.error} onRetry={() => void objections.refetch()} />;
  }
  if (objections.data.length === 0) {
    return <Empty description={t('objections.empty')} />;
  }
  return (
    <List
      dataSource={objections.data}
      renderItem={(o) => (
        <List.Item>
          <Card
            size="small"
            style={{ width: '100%' }}
            title={
              <Flex gap={4} wrap>
                <span>{o.unitId ? (unitNames.get(o.unitId) ?? o.unitId) : '—'}</span>
                <Tag color={o.status === 'open' ? 'orange' : 'green'}>
                  {t(`objections.statuses.${o.status}`)}
                </Tag>
                <Tag>{t('objections.roundNo', { n: o.roundNo })}</Tag>
              </Flex>
            }
            extra={new Date(o.raisedAt).toLocaleDateString(i18n.language)}
          >
            <PlainText text={o.reasons} />
            {o.reviewNote && (
              <>
                <Typography.Text type="secondary">{t('objections.note')}</Typography.Text>
                <PlainText text={o.reviewNote} />
              </>
            )}
            {o.status === 'open' && <ObjectionReview objection={o} roundId={round.id} />}
          </Card>
        </List.Item>
      )}
    />
  );
}
