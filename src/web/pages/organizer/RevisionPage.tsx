import {
  Alert,
  Button,
  Card,
  Col,
  Empty,
  Flex,
  Form,
  Input,
  List,
  Modal,
  Popconfirm,
  Result,
  Row,
  Select,
  Skeleton,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { Opinion } from '../../features/assessment/api.ts';
import { useOpinionsById, useRoundsOpinionCount } from '../../features/assessment/api.ts';
import { RoundOpinionList } from '../../features/assessment/RoundOpinionList.tsx';
import { useMe } from '../../features/auth/api.ts';
import { usePlan } from '../../features/plans/api.ts';
import type { RevisionClause, RevisionSummary, RevisionView } from '../../features/revision/api.ts';
import {
  useAcceptOpinion,
  useConsistency,
  useDeleteClause,
  useEditClause,
  useInsertClause,
  usePublishRevision,
  useRevision,
  useRevisions,
  useRevisionStep,
  useStartRevision,
} from '../../features/revision/api.ts';
import { ChangeView } from '../../features/revision/ChangeView.tsx';
import { RevisionDecision } from '../../features/revision/RevisionDecision.tsx';
import type { RevisionActions } from '../../features/revision/revision-state.ts';
import { clauseLabel, findOpenRevision, revisionActions } from '../../features/revision/revision-state.ts';
import { versionName } from '../../features/dashboard/figures.ts';
import { usePlanRounds } from '../../features/rounds/api.ts';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';
import { PlainText } from '../../ui/PlainText.tsx';

const NO_IDS: string[] = [];

const statusColor: Record<string, string> = {
  edited: 'blue',
  inserted: 'green',
  deleted: 'red',
  unchanged: 'default',
};

const revisionColor: Record<string, string> = {
  draft: 'blue',
  submitted: 'orange',
  approved: 'green',
  published: 'default',
};

interface ClauseForm {
  heading?: string;
  text: string;
  reason?: string;
}

/** Editing an existing clause, or writing a new one to insert after `clause`. */
function ClauseEditor({
  mode,
  clause,
  revisionId,
  onDone,
}: {
  mode: 'edit' | 'insert';
  clause: RevisionClause;
  revisionId: string;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const edit = useEditClause(revisionId);
  const insert = useInsertClause(revisionId);
  const write = mode === 'edit' ? edit : insert;
  const [form] = Form.useForm<ClauseForm>();
  const submit = (v: ClauseForm) => {
    const input = { text: v.text, heading: v.heading?.trim() || null, reason: v.reason?.trim() || null };
    if (mode === 'edit') {
      edit.mutate({ ...input, stableId: clause.stableId }, { onSuccess: onDone });
    } else {
      insert.mutate({ ...input, afterStableId: clause.stableId }, { onSuccess: onDone });
    }
  };
  return (
    <Form<ClauseForm>
      form={form}
      layout="vertical"
      initialValues={mode === 'edit' ? { heading: clause.heading ?? '', text: clause.text } : {}}
      onFinish={submit}
    >
      {mode === 'insert' && (
        <Typography.Paragraph type="secondary">
          {t('leader.revision.insertHint', { clause: clauseLabel(clause) })}
        </Typography.Paragraph>
      )}
      <Form.Item name="heading" label={t('revision.heading')}>
        <Input maxLength={500} />
      </Form.Item>
      <Form.Item
        name="text"
        label={t('revision.text')}
        rules={[{ required: true, whitespace: true, message: t('common.required') }]}
      >
        <Input.TextArea autoSize={{ minRows: 3, maxRows: 12 }} maxLength={50_000} />
      </Form.Item>
      <Form.Item name="reason" label={t('revision.reason')}>
        <Input maxLength={5000} />
      </Form.Item>
      {write.isError && <ErrorAlert error={write.error} />}
      <Space>
        <Button type="primary" htmlType="submit" loading={write.isPending}>
          {mode === 'edit' ? t('revision.save') : t('leader.revision.insert')}
        </Button>
        <Button onClick={onDone}>{t('common.cancel')}</Button>
      </Space>
    </Form>
  );
}

/** Where the revision stands: submitted, approved or returned, by whom and when. */
function RevisionStatus({
  view,
  summary,
  actions,
}: {
  view: RevisionView;
  summary: RevisionSummary | undefined;
  actions: RevisionActions;
}) {
  const { t, i18n } = useTranslation();
  const { revision } = view;
  const when = (at: string | null) => (at ? new Date(at).toLocaleString(i18n.language) : '—');
  const who = (name: string | null | undefined) => name ?? t('leader.none');
  return (
    <>
      {revision.status === 'draft' && !actions.showReturnNote && actions.canSubmit && (
        <Alert type="info" showIcon title={t('leader.revision.draftHint')} />
      )}
      {actions.showReturnNote && (
        <Alert
          type="warning"
          showIcon
          data-testid="return-note"
          title={t('leader.revision.returned')}
          description={
            <>
              <PlainText text={revision.returnNote} />
              <Typography.Text type="secondary">
                {t('leader.revision.returnedBy', {
                  name: who(summary?.returnedByName),
                  time: when(revision.returnedAt),
                })}
              </Typography.Text>
            </>
          }
        />
      )}
      {revision.status === 'submitted' && (
        <Alert
          type="info"
          showIcon
          title={t('leader.revision.submittedHint')}
          description={t('leader.revision.submittedBy', {
            name: who(summary?.submittedByName),
            time: when(revision.submittedAt),
          })}
        />
      )}
      {revision.status === 'approved' && (
        <Alert
          type="success"
          showIcon
          title={t('leader.revision.approvedHint')}
          description={t('leader.revision.approvedBy', {
            name: who(summary?.approvedByName),
            time: when(revision.approvedAt),
          })}
        />
      )}
      {actions.ownSubmission && <Alert type="warning" showIcon title={t('leader.revision.ownSubmission')} />}
    </>
  );
}

export function RevisionPage() {
  const { t } = useTranslation();
  const { planId = '' } = useParams();
  const me = useMe();
  const plan = usePlan(planId);
  const revisions = useRevisions(planId);
  const [startedId, setStartedId] = useState<string | null>(null);
  const open = findOpenRevision(revisions.data ?? []);
  const revisionId = open?.id ?? startedId;
  const revision = useRevision(revisionId);
  const start = useStartRevision(planId);
  const step = useRevisionStep(revisionId);
  const accept = useAcceptOpinion(revisionId);
  const remove = useDeleteClause(revisionId);
  const publish = usePublishRevision(planId, revisionId);
  const [checking, setChecking] = useState(false);
  const consistency = useConsistency(revisionId, checking);
  const rounds = usePlanRounds(planId);
  const roundIds = useMemo(() => (rounds.data ?? []).map((r) => r.id), [rounds.data]);
  const [editing, setEditing] = useState<{ mode: 'edit' | 'insert'; clause: RevisionClause } | null>(null);
  const [clauseFilter, setClauseFilter] = useState<string | undefined>();
  const proposalFilter = useMemo(
    () => ({
      status: 'submitted' as const,
      hasProposal: true,
      ...(clauseFilter ? { clause: clauseFilter } : {}),
    }),
    [clauseFilter],
  );
  const proposalCount = useRoundsOpinionCount(roundIds, proposalFilter);
  const [label, setLabel] = useState('');

  const view = revision.data;
  const changes = useMemo(() => new Map((view?.changes ?? []).map((c) => [c.id, c])), [view]);
  const accepted = useMemo(() => new Set((view?.changes ?? []).flatMap((c) => c.opinionIds)), [view]);
  const opinionsById = useOpinionsById(
    checking && consistency.data ? consistency.data.adoptedWithoutChange : NO_IDS,
  );

  if (plan.isPending || me.isPending) {
    return <Skeleton active />;
  }
  if (plan.isError) {
    return <ErrorAlert error={plan.error} onRetry={() => void plan.refetch()} />;
  }
  const roles = me.data?.roles ?? [];
  const isEditor = roles.includes('organizer') || roles.includes('admin');
  const actions = view
    ? revisionActions(view.revision, { id: me.data?.id ?? '', roles })
    : revisionActions({ status: 'published', submittedBy: null, returnNote: null }, { id: '', roles: [] });
  const summary = revisions.data?.find((r) => r.id === revisionId);
  const header = (
    <Card
      title={`${t('revision.title')} · ${plan.data.name}`}
      extra={<Link to={`/plans/${planId}`}>{t('round.backToPlan')}</Link>}
    >
      {!view && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          {revisions.isPending && <Skeleton active />}
          {revisions.isError && (
            <ErrorAlert error={revisions.error} onRetry={() => void revisions.refetch()} />
          )}
          {revisions.isSuccess && !revisionId && isEditor && (
            <>
              <Typography.Text>{t('revision.intro')}</Typography.Text>
              <Button
                type="primary"
                loading={start.isPending}
                onClick={() => start.mutate(undefined, { onSuccess: setStartedId })}
              >
                {t('leader.revision.start')}
              </Button>
            </>
          )}
          {revisions.isSuccess && !revisionId && !isEditor && (
            <Empty description={t('leader.revision.noneLeader')} />
          )}
          {start.isError && <ErrorAlert error={start.error} />}
          {revisionId && revision.isPending && <Skeleton active />}
          {revision.isError && <ErrorAlert error={revision.error} onRetry={() => void revision.refetch()} />}
        </Space>
      )}
      {view && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Flex gap={8} wrap align="center">
            <Tag color={revisionColor[view.revision.status] ?? 'blue'} data-testid="revision-status">
              {t(`leader.revision.statuses.${view.revision.status}`)}
            </Tag>
            {summary && (
              <Typography.Text type="secondary">
                {t('leader.revision.baseVersion', { version: versionName(summary.baseVersion) })}
              </Typography.Text>
            )}
            <Typography.Text>{t('revision.changeCount', { count: view.changes.length })}</Typography.Text>
          </Flex>
          <RevisionStatus view={view} summary={summary} actions={actions} />
          {isEditor && view.revision.status !== 'published' && (
            <Flex gap={8} wrap align="end">
              <Button
                onClick={() => (checking ? void consistency.refetch() : setChecking(true))}
                loading={consistency.isFetching}
              >
                {t('revision.check')}
              </Button>
              {actions.canSubmit && (
                <Popconfirm
                  title={t('leader.revision.confirmSubmit')}
                  okText={t('leader.revision.submit')}
                  cancelText={t('common.cancel')}
                  onConfirm={() => step.mutate({ action: 'submit' })}
                >
                  <Button type="primary" loading={step.isPending}>
                    {t('leader.revision.submit')}
                  </Button>
                </Popconfirm>
              )}
              {actions.canWithdraw && (
                <Popconfirm
                  title={t('leader.revision.confirmWithdraw')}
                  okText={t('leader.revision.withdraw')}
                  cancelText={t('common.cancel')}
                  onConfirm={() => step.mutate({ action: 'withdraw' })}
                >
                  <Button loading={step.isPending}>{t('leader.revision.withdraw')}</Button>
                </Popconfirm>
              )}
            </Flex>
          )}
          {actions.showPublish && (
            <Flex gap={8} wrap align="end">
              <Form layout="inline">
                <Form.Item label={t('revision.label')}>
                  <Input
                    value={label}
                    onChange={(e) => setLabel(e.target.value)}
                    placeholder={t('revision.labelPlaceholder')}
                    maxLength={100}
                    disabled={!actions.canPublish}
                  />
                </Form.Item>
              </Form>
              {actions.canPublish ? (
                <Popconfirm
                  title={t('revision.confirmPublish')}
                  okText={t('common.confirm')}
                  cancelText={t('common.cancel')}
                  onConfirm={() => publish.mutate(label.trim() || undefined)}
                >
                  <Button type="primary" loading={publish.isPending}>
                    {t('revision.publish')}
                  </Button>
                </Popconfirm>
              ) : (
                <>
                  <Button type="primary" disabled>
                    {t('revision.publish')}
                  </Button>
                  <Typography.Text type="secondary">
                    {t('leader.revision.publishNeedsApproval')}
                  </Typography.Text>
                </>
              )}
            </Flex>
          )}
          {actions.canDecide && revisionId && <RevisionDecision revisionId={revisionId} />}
          {step.isError && <ErrorAlert error={step.error} />}
          {publish.isError && <ErrorAlert error={publish.error} />}
          {consistency.isError && <ErrorAlert error={consistency.error} />}
          {checking && consistency.data && (
            <div data-testid="consistency">
              {consistency.data.adoptedWithoutChange.length === 0 &&
              consistency.data.changesWithoutOpinion.length === 0 ? (
                <Alert type="success" showIcon title={t('revision.consistent')} />
              ) : (
                <Alert
                  type="warning"
                  showIcon
                  title={t('revision.inconsistent')}
                  description={
                    <ul style={{ margin: 0, paddingInlineStart: 16 }}>
                      {consistency.data.adoptedWithoutChange.map((id) => (
                        <li key={id}>
                          {t('revision.adoptedWithoutChange', { regNo: opinionsById.get(id)?.regNo ?? id })}
                        </li>
                      ))}
                      {consistency.data.changesWithoutOpinion.map((id) => (
                        <li key={id}>{t('revision.changeWithoutOpinion', { id })}</li>
                      ))}
                    </ul>
                  }
                />
              )}
            </div>
          )}
        </Space>
      )}
    </Card>
  );
  if (publish.data) {
    return (
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Result
          status="success"
          title={t('revision.published', {
            label: publish.data.version.label,
            seq: publish.data.version.seq,
          })}
          extra={
            <Link to={`/plans/${planId}`}>
              <Button type="primary">{t('round.backToPlan')}</Button>
            </Link>
          }
        />
      </Space>
    );
  }
  if (!view) {
    return header;
  }
  const { editable } = actions;
  const proposalAction = (o: Opinion) =>
    accepted.has(o.id) ? (
      <Tag color="green">{t('revision.accepted')}</Tag>
    ) : editable ? (
      <Button
        size="small"
        type="primary"
        loading={accept.isPending && accept.variables === o.id}
        onClick={() => accept.mutate(o.id)}
        aria-label={`${t('revision.accept')} ${o.regNo ?? ''}`}
      >
        {t('revision.accept')}
      </Button>
    ) : null;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      {header}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <Card title={t('revision.clauses')}>
            {view.clauses.length === 0 && <Empty />}
            {remove.isError && <ErrorAlert error={remove.error} />}
            <List
              dataSource={view.clauses}
              renderItem={(clause) => {
                const change = clause.changeId ? changes.get(clause.changeId) : undefined;
                const name = clauseLabel(clause);
                return (
                  <List.Item
                    style={{ paddingInlineStart: Math.min(clause.depth, 4) * 12, display: 'block' }}
                    data-testid="revision-clause"
                  >
                    <Flex gap={6} wrap align="center" justify="space-between">
                      <Flex gap={6} wrap align="center">
                        <Typography.Text strong>
                          {[clause.number, clause.heading].filter(Boolean).join(' ') || '—'}
                        </Typography.Text>
                        {clause.status !== 'unchanged' && (
                          <Tag color={statusColor[clause.status] ?? 'blue'}>
                            {t(`revision.clauseStatuses.${clause.status}`, { defaultValue: clause.status })}
                          </Tag>
                        )}
                      </Flex>
                      {editable && clause.status !== 'deleted' && (
                        <Space size={4} wrap>
                          <Button
                            size="small"
                            onClick={() => setEditing({ mode: 'edit', clause })}
                            aria-label={`${t('revision.edit')} ${name}`}
                          >
                            {t('revision.edit')}
                          </Button>
                          <Button
                            size="small"
                            onClick={() => setEditing({ mode: 'insert', clause })}
                            aria-label={`${t('leader.revision.insertAfter')} ${name}`}
                          >
                            {t('leader.revision.insertAfter')}
                          </Button>
                          <Popconfirm
                            title={t('leader.revision.confirmDelete', { clause: name })}
                            okText={t('leader.revision.delete')}
                            okButtonProps={{ danger: true }}
                            cancelText={t('common.cancel')}
                            onConfirm={() => remove.mutate(clause.stableId)}
                          >
                            <Button
                              size="small"
                              danger
                              loading={remove.isPending && remove.variables === clause.stableId}
                              aria-label={`${t('leader.revision.delete')} ${name}`}
                            >
                              {t('leader.revision.delete')}
                            </Button>
                          </Popconfirm>
                        </Space>
                      )}
                    </Flex>
                    {change ? (
                      <ChangeView change={change} />
                    ) : (
                      <PlainText text={clause.text} type="secondary" />
                    )}
                  </List.Item>
                );
              }}
            />
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card title={t('revision.proposals')}>
            <Form layout="vertical">
              <Form.Item label={t('assessment.filter.clause')}>
                <Select
                  allowClear
                  showSearch={{ optionFilterProp: 'label' }}
                  value={clauseFilter}
                  onChange={(v: string | undefined) => setClauseFilter(v)}
                  options={view.clauses.map((c) => ({
                    value: c.stableId,
                    label: [c.path, c.heading].filter(Boolean).join(' '),
                  }))}
                />
              </Form.Item>
            </Form>
            {(rounds.isPending || proposalCount.isPending) && <Skeleton active />}
            {rounds.isError && <ErrorAlert error={rounds.error} onRetry={() => void rounds.refetch()} />}
            {proposalCount.error && <ErrorAlert error={proposalCount.error} />}
            {accept.isError && <ErrorAlert error={accept.error} />}
            {rounds.isSuccess && !proposalCount.isPending && proposalCount.total === 0 && (
              <Empty description={t('revision.noProposals')} />
            )}
            {proposalCount.total > 0 &&
              (rounds.data ?? []).map((round) => (
                <RoundOpinionList
                  key={round.id}
                  roundId={round.id}
                  filter={proposalFilter}
                  moreLabel={t('revision.moreProposals', { round: round.title })}
                  extra={proposalAction}
                />
              ))}
          </Card>
        </Col>
      </Row>
      <Modal
        open={editing !== null}
        title={editing?.mode === 'insert' ? t('leader.revision.insertTitle') : t('revision.editTitle')}
        footer={null}
        onCancel={() => setEditing(null)}
        destroyOnHidden
      >
        {editing && revisionId && (
          <ClauseEditor
            mode={editing.mode}
            clause={editing.clause}
            revisionId={revisionId}
            onDone={() => setEditing(null)}
          />
        )}
      </Modal>
    </Space>
  );
}
