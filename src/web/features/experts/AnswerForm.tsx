import {
  Alert,
  Button,
  Card,
  Descriptions,
  Flex,
  Form,
  Input,
  Popconfirm,
  Radio,
  Skeleton,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';
import { ItemList } from '../../ui/ItemList.tsx';
import { PlainText } from '../../ui/PlainText.tsx';
import type { Answer, ConsultationView } from './api.ts';
import { useConsultation, useDecline, useSubmitAnswer } from './api.ts';
import type { AnswerDraft } from './answers.ts';
import { answerBody, answerProblems } from './answers.ts';

const SCORES = [1, 2, 3, 4, 5] as const;

/** What the experts are asked about: the conflict's positions or the chosen opinions, with their clauses. */
function Subject({ view }: { view: ConsultationView }) {
  const { t } = useTranslation();
  const clause = view.opinions.find((o) => o.clause)?.clause;
  return (
    <Flex vertical gap={8}>
      {view.conflict && (
        <>
          <Typography.Text strong>{view.conflict.title}</Typography.Text>
          <PlainText text={view.conflict.summary} />
        </>
      )}
      {clause && (
        <Card size="small" title={[clause.number, clause.heading].filter(Boolean).join(' ')}>
          <PlainText text={clause.text} />
        </Card>
      )}
      <ItemList
        items={view.opinions}
        itemKey={(o) => o.id}
        render={(o) => {
          const side = view.conflict?.parties.find((p) => p.opinionId === o.id);
          return (
            <Flex vertical gap={2}>
              <Flex gap={6} wrap>
                {side && (
                  <Tag color="purple">
                    {t('integration.conflicts.side', { side: side.side.toUpperCase() })}
                  </Tag>
                )}
                <Typography.Text strong>{o.unitName ?? '—'}</Typography.Text>
                {o.regNo && <Typography.Text type="secondary">{o.regNo}</Typography.Text>}
              </Flex>
              <PlainText text={side?.position ?? o.suggestion} />
              {o.reasons && <PlainText text={o.reasons} type="secondary" />}
              {o.proposedText && (
                <Typography.Paragraph type="secondary" style={{ whiteSpace: 'pre-wrap' }}>
                  {t('integration.conflicts.proposedText')}：{o.proposedText}
                </Typography.Paragraph>
              )}
            </Flex>
          );
        }}
      />
    </Flex>
  );
}

function SentAnswer({ answer, questions }: { answer: Answer; questions: string[] }) {
  const { t, i18n } = useTranslation();
  return (
    <Card size="small" title={t('integration.experts.myAnswer')} data-testid="my-answer">
      <Descriptions column={1} size="small">
        <Descriptions.Item label={t('integration.experts.recommendation')}>
          <PlainText text={answer.recommendation} />
        </Descriptions.Item>
        <Descriptions.Item label={t('integration.experts.feasibility')}>
          {answer.feasibility}/5
        </Descriptions.Item>
        <Descriptions.Item label={t('integration.experts.reasons')}>
          <PlainText text={answer.reasons} />
        </Descriptions.Item>
        {questions.map((q, i) => (
          <Descriptions.Item key={i} label={q}>
            <PlainText text={answer.answers[i]} />
          </Descriptions.Item>
        ))}
        <Descriptions.Item label={t('integration.experts.signed')}>
          {answer.signedName} · {new Date(answer.signedAt).toLocaleString(i18n.language)}
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

/**
 * The expert's answer: recommendation, feasibility 1–5, reasons and an answer per question, sent once and
 * read-only afterwards. Other experts' answers are not shown here before one's own is sent.
 */
export function AnswerForm({ consultationId }: { consultationId: string }) {
  const { t } = useTranslation();
  const view = useConsultation(consultationId);
  const submit = useSubmitAnswer(consultationId);
  const decline = useDecline(consultationId);
  const [form] = Form.useForm<AnswerDraft>();
  const [declineReason, setDeclineReason] = useState('');
  const [problems, setProblems] = useState<ReturnType<typeof answerProblems>>([]);
  if (view.isPending) {
    return <Skeleton active />;
  }
  if (view.isError) {
    return <ErrorAlert error={view.error} onRetry={() => void view.refetch()} />;
  }
  const v = view.data;
  const { questions } = v.consultation;
  const mine = v.assignments[0];
  const closed = v.consultation.status === 'closed';
  const send = () => {
    const draft = form.getFieldsValue(true) as AnswerDraft;
    const found = answerProblems(draft, questions.length);
    setProblems(found);
    if (found.length === 0) {
      submit.mutate(answerBody(draft, questions.length));
    }
  };
  const problemAt = (field: string, index?: number) =>
    problems.some((p) => p.field === field && (index === undefined || ('index' in p && p.index === index)));
  return (
    <Flex vertical gap={12}>
      <Card
        title={v.consultation.title}
        extra={<Tag>{t(`integration.experts.status.${v.consultation.status}`)}</Tag>}
      >
        <Subject view={v} />
      </Card>
      {v.myAnswer ? (
        <>
          <Alert type="success" showIcon title={t('integration.experts.sent')} />
          <SentAnswer answer={v.myAnswer} questions={questions} />
        </>
      ) : mine?.status === 'declined' ? (
        <Alert
          type="info"
          showIcon
          title={t('integration.experts.declined')}
          description={mine.declineReason}
        />
      ) : closed ? (
        <Alert type="info" showIcon title={t('integration.experts.closedNoAnswer')} />
      ) : (
        <Card title={t('integration.experts.answerTitle')}>
          <Typography.Paragraph type="secondary">{t('integration.experts.independent')}</Typography.Paragraph>
          <Form form={form} layout="vertical" onFinish={send}>
            <Form.Item
              name="recommendation"
              label={t('integration.experts.recommendation')}
              validateStatus={problemAt('recommendation') ? 'error' : undefined}
              help={problemAt('recommendation') ? t('common.required') : undefined}
            >
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} maxLength={5000} />
            </Form.Item>
            <Form.Item
              name="feasibility"
              label={t('integration.experts.feasibility')}
              validateStatus={problemAt('feasibility') ? 'error' : undefined}
              help={
                problemAt('feasibility')
                  ? t('integration.experts.pickScore')
                  : t('integration.experts.scoreHint')
              }
            >
              <Radio.Group>
                {SCORES.map((s) => (
                  <Radio.Button key={s} value={s} aria-label={t(`integration.experts.score.${s}`)}>
                    {s}
                  </Radio.Button>
                ))}
              </Radio.Group>
            </Form.Item>
            <Form.Item
              name="reasons"
              label={t('integration.experts.reasons')}
              validateStatus={problemAt('reasons') ? 'error' : undefined}
              help={problemAt('reasons') ? t('common.required') : undefined}
            >
              <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} maxLength={20_000} />
            </Form.Item>
            {questions.map((q, i) => (
              <Form.Item
                key={i}
                name={['answers', i]}
                label={`${i + 1}. ${q}`}
                validateStatus={problemAt('answers', i) ? 'error' : undefined}
                help={problemAt('answers', i) ? t('common.required') : undefined}
              >
                <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} maxLength={20_000} />
              </Form.Item>
            ))}
            {submit.isError && <ErrorAlert error={submit.error} />}
            <Popconfirm
              title={t('integration.experts.sendConfirm')}
              okText={t('common.confirm')}
              cancelText={t('common.cancel')}
              onConfirm={() => form.submit()}
            >
              <Button type="primary" loading={submit.isPending}>
                {t('integration.experts.sendAnswer')}
              </Button>
            </Popconfirm>
          </Form>
          <Flex gap={8} wrap align="center" style={{ marginTop: 16 }}>
            <Input
              aria-label={t('integration.experts.declineReason')}
              placeholder={t('integration.experts.declineReason')}
              value={declineReason}
              onChange={(e) => setDeclineReason(e.target.value)}
              style={{ maxWidth: 320 }}
              maxLength={2000}
            />
            <Button
              danger
              disabled={!declineReason.trim()}
              loading={decline.isPending}
              onClick={() => decline.mutate(declineReason.trim())}
            >
              {t('integration.experts.decline')}
            </Button>
          </Flex>
          {decline.isError && <ErrorAlert error={decline.error} />}
        </Card>
      )}
      {v.answers && v.answers.length > 0 && v.myAnswer && (
        <Card title={t('integration.experts.othersAnswers')}>
          <ItemList
            items={v.answers.filter((a) => a.id !== v.myAnswer?.id)}
            itemKey={(a) => a.id}
            render={(a) => (
              <Flex vertical gap={2}>
                <Typography.Text strong>
                  {a.signedName} · {a.feasibility}/5
                </Typography.Text>
                <PlainText text={a.recommendation} />
                <PlainText text={a.reasons} type="secondary" />
              </Flex>
            )}
          />
        </Card>
      )}
    </Flex>
  );
}
