import {
  Button,
  Card,
  Collapse,
  Descriptions,
  Flex,
  Form,
  Input,
  Popconfirm,
  Radio,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { requiresReason } from '../../../domain/disposition-rules.ts';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';
import { PlainText } from '../../ui/PlainText.tsx';
import type { Basis, DispositionCode } from '../assessment/api.ts';
import { basisCodes, dispositionCodes } from '../assessment/api.ts';
import { ChangeSummary } from '../revision/ChangeSummary.tsx';
import { RevisionDecision } from '../revision/RevisionDecision.tsx';
import type { ObjectionDecision, PendingObjection, PendingRevision, PendingUrgentRound } from './api.ts';
import { useDecideObjection, useDecideUrgent } from './api.ts';
import { versionName, waitingDays } from './figures.ts';

function Waiting({ since }: { since: string | null }) {
  const { t } = useTranslation();
  const days = waitingDays(since, new Date());
  if (days === null) {
    return null;
  }
  return (
    <Tag color={days >= 3 ? 'red' : days >= 1 ? 'orange' : 'default'}>
      {days === 0 ? t('leader.approvals.waitingToday') : t('leader.approvals.waiting', { count: days })}
    </Tag>
  );
}

const dateOf = (iso: string, language: string) => new Date(iso).toLocaleDateString(language);

/** An urgent round whose shortened period waits for approval: the reason, the period, approve or refuse. */
export function UrgentRoundItem({ round }: { round: PendingUrgentRound }) {
  const { t, i18n } = useTranslation();
  const decide = useDecideUrgent();
  const deciding = (decision: 'approve' | 'refuse') =>
    decide.isPending && decide.variables.decision === decision;
  return (
    <Card
      size="small"
      data-testid="pending-urgent"
      title={round.title}
      extra={<Waiting since={round.createdAt} />}
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">
          {t('leader.approvals.plan', { name: round.planName })}
        </Typography.Text>
        <Flex gap={6} wrap>
          <Tag>{t(`leader.approvals.urgent.kinds.${round.kind}`, { defaultValue: round.kind })}</Tag>
          <Typography.Text>
            {t('leader.approvals.urgent.period', {
              opensAt: dateOf(round.opensAt, i18n.language),
              deadline: new Date(`${round.deadline}T00:00:00`).toLocaleDateString(i18n.language),
              workingDays: round.workingDays,
            })}
          </Typography.Text>
        </Flex>
        <div>
          <Typography.Text strong>{t('leader.approvals.urgent.reason')}</Typography.Text>
          <PlainText text={round.urgentReason} />
        </div>
        {round.createdByName && (
          <Typography.Text type="secondary">
            {t('leader.approvals.urgent.createdBy', { name: round.createdByName })}
          </Typography.Text>
        )}
        <Flex gap={8} wrap align="center">
          <Popconfirm
            title={t('leader.approvals.urgent.confirmApprove')}
            okText={t('leader.approvals.urgent.approve')}
            cancelText={t('common.cancel')}
            onConfirm={() => decide.mutate({ roundId: round.roundId, decision: 'approve' })}
          >
            <Button type="primary" loading={deciding('approve')}>
              {t('leader.approvals.urgent.approve')}
            </Button>
          </Popconfirm>
          <Popconfirm
            title={t('leader.approvals.urgent.confirmRefuse')}
            okText={t('leader.approvals.urgent.refuse')}
            okButtonProps={{ danger: true }}
            cancelText={t('common.cancel')}
            onConfirm={() => decide.mutate({ roundId: round.roundId, decision: 'refuse' })}
          >
            <Button danger loading={deciding('refuse')}>
              {t('leader.approvals.urgent.refuse')}
            </Button>
          </Popconfirm>
          <Link to={`/rounds/${round.roundId}`}>{t('leader.approvals.urgent.openRound')}</Link>
        </Flex>
        {decide.isError && <ErrorAlert error={decide.error} />}
      </Space>
    </Card>
  );
}

/** A submitted revision: what it changes (unfolded on demand), then approve or return it. */
export function RevisionItem({ revision }: { revision: PendingRevision }) {
  const { t, i18n } = useTranslation();
  const [shown, setShown] = useState<string[]>([]);
  return (
    <Card
      size="small"
      data-testid="pending-revision"
      title={revision.planName}
      extra={<Waiting since={revision.submittedAt} />}
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text>
          {t('leader.approvals.revision.summary', {
            version: versionName(revision.baseVersion),
            count: revision.changeCount,
          })}
        </Typography.Text>
        {revision.submittedAt && (
          <Typography.Text type="secondary">
            {t('leader.approvals.revision.submittedBy', {
              name: revision.submittedByName ?? t('leader.none'),
              time: new Date(revision.submittedAt).toLocaleString(i18n.language),
            })}
          </Typography.Text>
        )}
        <Link to={`/plans/${revision.planId}/revision`}>{t('leader.approvals.revision.openRevision')}</Link>
        <Collapse
          size="small"
          activeKey={shown}
          onChange={(keys) => setShown(keys)}
          items={[
            {
              key: 'changes',
              label: t('leader.approvals.revision.showChanges'),
              // Loaded when unfolded: a long list of approvals does not fetch every revision at once.
              children: shown.includes('changes') ? <ChangeSummary revisionId={revision.revisionId} /> : null,
            },
          ]}
        />
        <RevisionDecision revisionId={revision.revisionId} name={revision.planName} />
      </Space>
    </Card>
  );
}

interface DecisionForm {
  outcome: ObjectionDecision['outcome'];
  note: string;
  code?: DispositionCode;
  basis?: Basis;
  reason?: string;
}

/** An escalated objection (高层协调): the opinion, the disputed disposition, the objection, and a decision. */
export function ObjectionItem({ objection }: { objection: PendingObjection }) {
  const { t } = useTranslation();
  const decide = useDecideObjection();
  const [form] = Form.useForm<DecisionForm>();
  const outcome = Form.useWatch('outcome', form);
  const code = Form.useWatch('code', form);
  const [confirming, setConfirming] = useState(false);
  const { opinion, disposition } = objection;
  const submit = (v: DecisionForm) => {
    const decision: ObjectionDecision = {
      outcome: v.outcome,
      note: v.note.trim(),
      ...(v.outcome === 'change' && v.code
        ? {
            newDisposition: { code: v.code, reason: v.reason?.trim() || null, basis: v.basis ?? null },
          }
        : {}),
    };
    decide.mutate({ objectionId: objection.objectionId, decision });
  };
  const needsReason = code !== undefined && requiresReason(code);
  const uid = objection.objectionId;
  return (
    <Card
      size="small"
      data-testid="pending-objection"
      title={t('leader.approvals.objection.opinion', { regNo: opinion.regNo ?? '—' })}
      extra={<Waiting since={objection.reviewedAt ?? objection.raisedAt} />}
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">
          {t('leader.approvals.plan', { name: objection.planName })} ·{' '}
          {t('leader.approvals.objection.round', { title: objection.roundTitle })}
        </Typography.Text>
        <Descriptions column={1} size="small">
          <Descriptions.Item label={t('leader.approvals.objection.unit')}>
            {opinion.unitName ?? '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('leader.approvals.objection.clause')}>
            {opinion.clauseNumber ?? t('leader.approvals.objection.wholeDraft')}
          </Descriptions.Item>
        </Descriptions>
        <div>
          <Typography.Text strong>{t('leader.approvals.objection.suggestion')}</Typography.Text>
          <PlainText text={opinion.suggestion} />
        </div>
        <div>
          <Typography.Text strong>{t('leader.approvals.objection.disposition')}</Typography.Text>{' '}
          <Tag>{t(`assessment.codes.${disposition.code}`, { defaultValue: disposition.code })}</Tag>
          <PlainText text={disposition.reason} type="secondary" />
        </div>
        <div>
          <Typography.Text strong>
            {t('leader.approvals.objection.reasons', { n: objection.roundNo })}
          </Typography.Text>
          <PlainText text={objection.reasons} />
        </div>
        {objection.reviewNote && (
          <div>
            <Typography.Text strong>{t('leader.approvals.objection.reviewNote')}</Typography.Text>
            <PlainText text={objection.reviewNote} type="secondary" />
          </div>
        )}
        <Form<DecisionForm>
          form={form}
          layout="vertical"
          initialValues={{ outcome: 'uphold' }}
          onFinish={submit}
          name={`decide-${uid}`}
        >
          <Form.Item name="outcome" label={t('leader.approvals.objection.outcome')}>
            <Radio.Group
              options={(['uphold', 'change', 'record_dissent'] as const).map((value) => ({
                value,
                label: t(`leader.approvals.objection.outcomes.${value}`),
              }))}
            />
          </Form.Item>
          {outcome === 'change' && (
            <>
              <Form.Item
                name="code"
                label={t('leader.approvals.objection.newCode')}
                rules={[{ required: true, message: t('common.required') }]}
              >
                <Select
                  options={dispositionCodes.map((value) => ({
                    value,
                    label: t(`assessment.codes.${value}`),
                  }))}
                />
              </Form.Item>
              {needsReason && (
                <>
                  <Form.Item
                    name="basis"
                    label={t('leader.approvals.objection.newBasis')}
                    rules={[{ required: true, message: t('leader.approvals.objection.reasonRequired') }]}
                  >
                    <Select
                      options={basisCodes.map((value) => ({ value, label: t(`assessment.bases.${value}`) }))}
                    />
                  </Form.Item>
                  <Form.Item
                    name="reason"
                    label={t('leader.approvals.objection.newReason')}
                    rules={[
                      {
                        required: true,
                        whitespace: true,
                        message: t('leader.approvals.objection.reasonRequired'),
                      },
                    ]}
                  >
                    <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} maxLength={5000} />
                  </Form.Item>
                </>
              )}
            </>
          )}
          <Form.Item
            name="note"
            label={t('leader.approvals.objection.note')}
            rules={[
              { required: true, whitespace: true, message: t('leader.approvals.objection.noteRequired') },
            ]}
          >
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} maxLength={10_000} />
          </Form.Item>
          {decide.isError && <ErrorAlert error={decide.error} />}
          <Popconfirm
            open={confirming}
            onOpenChange={(open) => {
              if (!open) {
                setConfirming(false);
              }
            }}
            title={t('leader.approvals.objection.confirm')}
            okText={t('leader.approvals.objection.submit')}
            cancelText={t('common.cancel')}
            onConfirm={() => {
              setConfirming(false);
              form.submit();
            }}
          >
            <Button
              type="primary"
              loading={decide.isPending}
              // Checked first, confirmed second: the confirmation never opens over a form with errors.
              onClick={() =>
                void form.validateFields().then(
                  () => setConfirming(true),
                  () => undefined,
                )
              }
            >
              {t('leader.approvals.objection.submit')}
            </Button>
          </Popconfirm>
        </Form>
      </Space>
    </Card>
  );
}
