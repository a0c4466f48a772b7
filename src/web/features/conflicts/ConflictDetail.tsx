import {
  Button,
  Card,
  Col,
  Descriptions,
  Flex,
  Form,
  Input,
  Modal,
  Row,
  Select,
  Steps,
  Tag,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';
import { ItemList } from '../../ui/ItemList.tsx';
import { PlainText } from '../../ui/PlainText.tsx';
import { FigureTags } from '../analysis/Tags.tsx';
import { DiscussionPanel } from '../discussion/DiscussionPanel.tsx';
import { ConsultationForm } from '../experts/ConsultationForm.tsx';
import { Citations } from '../library/Citations.tsx';
import type { Conflict, DispositionCode, MethodKind } from './api.ts';
import { DISPOSITION_CODES, METHOD_KINDS, useAddMethod, useEscalate, useSettle } from './api.ts';
import { ladderSteps, wholeDays } from './board.ts';
import { StatusTag } from './ConflictBoard.tsx';
import { MethodList } from './Methods.tsx';

const SETTLED = new Set(['resolved', 'decided']);

/** The parties side by side: unit, position, figures, and the outcome once decided. */
function Sides({ conflict }: { conflict: Conflict }) {
  const { t } = useTranslation();
  return (
    <Row gutter={[8, 8]}>
      {conflict.sides.map((s) => (
        <Col key={s.side} xs={24} md={24 / Math.min(3, Math.max(1, conflict.sides.length))}>
          <Card
            size="small"
            title={t('integration.conflicts.side', { side: s.side.toUpperCase() })}
            style={{ height: '100%' }}
            data-testid="conflict-side"
          >
            <ItemList
              items={s.parties}
              itemKey={(p) => p.id}
              render={(p) => (
                <Flex vertical gap={4}>
                  <Flex gap={6} wrap align="center">
                    <Typography.Text strong>{p.unitName ?? '—'}</Typography.Text>
                    {p.regNo && <Link to={`/rounds/${conflict.roundId}`}>{p.regNo}</Link>}
                    {p.outcomeCode && (
                      <Tag color="blue" data-testid="party-outcome">
                        {t(`assessment.codes.${p.outcomeCode}`)}
                      </Tag>
                    )}
                  </Flex>
                  <Typography.Text type="secondary">{t('integration.conflicts.position')}</Typography.Text>
                  <PlainText text={p.position ?? p.suggestion} />
                  {p.proposedText && (
                    <>
                      <Typography.Text type="secondary">
                        {t('integration.conflicts.proposedText')}
                      </Typography.Text>
                      <PlainText text={p.proposedText} />
                    </>
                  )}
                  {p.figures.length > 0 && <FigureTags figures={p.figures} />}
                </Flex>
              )}
            />
          </Card>
        </Col>
      ))}
    </Row>
  );
}

/** The escalation ladder with the rung the conflict stands on. */
function Ladder({ conflict }: { conflict: Conflict }) {
  const { t, i18n } = useTranslation();
  const steps = ladderSteps(conflict.ladder, conflict.level);
  const current = steps.findIndex((s) => s.state === 'current');
  return (
    <Flex vertical gap={8}>
      <Steps
        size="small"
        current={current}
        items={steps.map((s) => ({
          title: s.rung.name,
          status: s.state === 'current' ? 'process' : s.state === 'passed' ? 'finish' : 'wait',
        }))}
        responsive
      />
      {conflict.escalations.length > 0 && (
        <ItemList
          items={conflict.escalations}
          itemKey={(e) => `${e.toLevel}-${e.at}`}
          render={(e) => (
            <Typography.Text>
              {new Date(e.at).toLocaleString(i18n.language)} · {e.fromName ?? t('integration.conflicts.team')}{' '}
              → {e.toName}：{e.reason}
            </Typography.Text>
          )}
        />
      )}
    </Flex>
  );
}

function StartMethod({ conflict }: { conflict: Conflict }) {
  const { t } = useTranslation();
  const add = useAddMethod(conflict.id);
  const [expert, setExpert] = useState(false);
  const start = (kind: MethodKind) => {
    if (kind === 'expert') {
      setExpert(true);
      return;
    }
    add.mutate({ kind });
  };
  return (
    <Flex vertical gap={6}>
      <Flex gap={8} wrap>
        {METHOD_KINDS.map((kind) => (
          <Button
            key={kind}
            onClick={() => start(kind)}
            loading={add.isPending && add.variables.kind === kind}
          >
            {t(`integration.methods.start.${kind}`)}
          </Button>
        ))}
      </Flex>
      {add.isError && <ErrorAlert error={add.error} />}
      <Modal
        open={expert}
        onCancel={() => setExpert(false)}
        footer={null}
        title={t('integration.methods.start.expert')}
        width={720}
        destroyOnHidden
      >
        <ConsultationForm
          roundId={conflict.roundId}
          conflictId={conflict.id}
          defaultTitle={conflict.title}
          onDone={() => setExpert(false)}
        />
      </Modal>
    </Flex>
  );
}

function Escalate({ conflict }: { conflict: Conflict }) {
  const { t } = useTranslation();
  const escalate = useEscalate(conflict.id);
  const [reason, setReason] = useState('');
  const next = conflict.ladder.find((r) => r.rank === (conflict.level ?? 0) + 1);
  if (!next) {
    return null;
  }
  return (
    <Flex vertical gap={6}>
      <Input.TextArea
        aria-label={t('integration.conflicts.escalateReason')}
        placeholder={t('integration.conflicts.escalateReason')}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        autoSize={{ minRows: 1, maxRows: 4 }}
        maxLength={4000}
      />
      <Button
        disabled={!reason.trim()}
        loading={escalate.isPending}
        onClick={() => escalate.mutate(reason.trim(), { onSuccess: () => setReason('') })}
        style={{ alignSelf: 'start' }}
      >
        {t('integration.conflicts.escalateTo', { rung: next.name })}
      </Button>
      {escalate.isError && <ErrorAlert error={escalate.error} />}
    </Flex>
  );
}

interface DecisionValues {
  decision: string;
  outcomes: Record<string, DispositionCode | undefined>;
}

/** Resolves (the team) or decides (the rung) with a decision and a disposition per party opinion. */
function Settle({ conflict, how }: { conflict: Conflict; how: 'resolve' | 'decide' }) {
  const { t } = useTranslation();
  const settle = useSettle(conflict.id);
  const parties = useMemo(
    () => conflict.sides.flatMap((s) => s.parties.map((p) => ({ ...p, side: s.side }))),
    [conflict],
  );
  const codes = DISPOSITION_CODES.map((c) => ({ value: c, label: t(`assessment.codes.${c}`) }));
  return (
    <Form
      layout="vertical"
      onFinish={(v: DecisionValues) =>
        settle.mutate({
          how,
          body: {
            decision: v.decision.trim(),
            outcomes: parties
              .map((p) => ({ opinionId: p.opinionId, code: v.outcomes?.[p.opinionId] }))
              .filter((o): o is { opinionId: string; code: DispositionCode } => o.code !== undefined),
          },
        })
      }
    >
      <Form.Item
        name="decision"
        label={t('integration.conflicts.decision')}
        rules={[{ required: true, whitespace: true, message: t('common.required') }]}
      >
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} maxLength={10_000} />
      </Form.Item>
      {parties.map((p) => (
        <Form.Item
          key={p.opinionId}
          name={['outcomes', p.opinionId]}
          label={t('integration.conflicts.outcomeFor', { unit: p.unitName ?? p.regNo ?? p.side })}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Select options={codes} style={{ maxWidth: 240 }} />
        </Form.Item>
      ))}
      {settle.isError && <ErrorAlert error={settle.error} />}
      <Button type="primary" htmlType="submit" loading={settle.isPending}>
        {t(`integration.conflicts.${how}`)}
      </Button>
    </Form>
  );
}

/** A conflict: parties side by side, status and ladder, the actions its state allows, methods, discussion. */
export function ConflictDetail({ conflict }: { conflict: Conflict }) {
  const { t, i18n } = useTranslation();
  const settled = SETTLED.has(conflict.status);
  const units = useMemo(() => {
    const byId = new Map<string, string>();
    for (const p of conflict.sides.flatMap((s) => s.parties)) {
      if (p.unitId) {
        byId.set(p.unitId, p.unitName ?? p.unitId);
      }
    }
    return [...byId].map(([value, label]) => ({ value, label }));
  }, [conflict]);
  return (
    <Flex vertical gap={12}>
      <Card
        title={
          <Flex gap={8} wrap align="center">
            <span data-testid="conflict-title">{conflict.title}</span>
            <StatusTag status={conflict.status} levelName={conflict.levelName} />
          </Flex>
        }
        extra={<Link to={`/rounds/${conflict.roundId}/conflicts`}>{t('integration.conflicts.toBoard')}</Link>}
      >
        <Descriptions size="small" column={{ xs: 1, sm: 2, md: 3 }}>
          <Descriptions.Item label={t('integration.conflicts.clause')}>
            {conflict.clauseNumber ?? conflict.clauseStableId}
          </Descriptions.Item>
          <Descriptions.Item label={t('integration.conflicts.openedAt')}>
            {new Date(conflict.openedAt).toLocaleDateString(i18n.language)} ·{' '}
            {t('integration.conflicts.age', { count: wholeDays(conflict.ageDays) })}
          </Descriptions.Item>
          <Descriptions.Item label={t('integration.conflicts.origin')}>
            {t(`integration.conflicts.from.${conflict.createdFrom}`)}
          </Descriptions.Item>
        </Descriptions>
        {conflict.clauseText && <PlainText text={conflict.clauseText} type="secondary" />}
        <PlainText text={conflict.summary} />
        {conflict.decision && (
          <Card size="small" title={t('integration.conflicts.theDecision')} data-testid="conflict-decision">
            <PlainText text={conflict.decision} />
            {conflict.decisionCode && (
              <Tag color="blue">{t(`assessment.codes.${conflict.decisionCode}`)}</Tag>
            )}
          </Card>
        )}
      </Card>
      <Sides conflict={conflict} />
      <Card size="small" title={t('integration.conflicts.ladder')}>
        <Ladder conflict={conflict} />
      </Card>
      {!settled &&
        (conflict.can.manage || conflict.can.escalate || conflict.can.resolve || conflict.can.decide) && (
          <Card size="small" title={t('integration.conflicts.actions')}>
            <Flex vertical gap={16}>
              {conflict.can.manage && conflict.status !== 'escalated' && <StartMethod conflict={conflict} />}
              {conflict.can.escalate && <Escalate conflict={conflict} />}
              {conflict.can.resolve && <Settle conflict={conflict} how="resolve" />}
              {conflict.can.decide && <Settle conflict={conflict} how="decide" />}
            </Flex>
          </Card>
        )}
      {conflict.methods.length > 0 && (
        <Card size="small" title={t('integration.conflicts.methods')}>
          <MethodList conflict={conflict} units={units} />
        </Card>
      )}
      <Row gutter={[12, 12]}>
        <Col xs={24} lg={12}>
          <Card size="small">
            <Citations fromKind="conflict" fromId={conflict.id} canCite={conflict.can.manage} />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small">
            <DiscussionPanel
              roundId={conflict.roundId}
              subject={{ conflictId: conflict.id }}
              defaultTitle={conflict.title}
            />
          </Card>
        </Col>
      </Row>
    </Flex>
  );
}
