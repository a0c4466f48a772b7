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
import { usePlanOpinions } from '../../features/assessment/api.ts';
import { OpinionCard } from '../../features/assessment/OpinionCard.tsx';
import { usePlan } from '../../features/plans/api.ts';
import {
  rememberedRevision,
  useAcceptOpinion,
  useConsistency,
  useEditClause,
  usePublishRevision,
  useRevision,
  useStartRevision,
  type RevisionChange,
  type RevisionClause,
} from '../../features/revision/api.ts';
import { usePlanRounds } from '../../features/rounds/api.ts';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';
import { PlainText } from '../../ui/PlainText.tsx';

const statusColor: Record<string, string> = {
  edited: 'blue',
  inserted: 'green',
  deleted: 'red',
  unchanged: 'default',
};

interface EditForm {
  heading?: string;
  text: string;
  reason?: string;
}

function EditClause({
  clause,
  revisionId,
  onDone,
}: {
  clause: RevisionClause;
  revisionId: string;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const edit = useEditClause(revisionId);
  const [form] = Form.useForm<EditForm>();
  return (
    <Form<EditForm>
      form={form}
      layout="vertical"
      initialValues={{ heading: clause.heading ?? '', text: clause.text }}
      onFinish={(v) =>
        edit.mutate(
          {
            stableId: clause.stableId,
            text: v.text,
            heading: v.heading?.trim() || null,
            reason: v.reason?.trim() || null,
          },
          { onSuccess: onDone },
        )
      }
    >
      <Form.Item name="heading" label={t('revision.heading')}>
        <Input />
      </Form.Item>
      <Form.Item
        name="text"
        label={t('revision.text')}
        rules={[{ required: true, message: t('common.required') }]}
      >
        <Input.TextArea autoSize={{ minRows: 3, maxRows: 12 }} />
      </Form.Item>
      <Form.Item name="reason" label={t('revision.reason')}>
        <Input />
      </Form.Item>
      {edit.isError && <ErrorAlert error={edit.error} />}
      <Space>
        <Button type="primary" htmlType="submit" loading={edit.isPending}>
          {t('revision.save')}
        </Button>
        <Button onClick={onDone}>{t('common.cancel')}</Button>
      </Space>
    </Form>
  );
}

function ChangeView({ change }: { change: RevisionChange }) {
  const { t } = useTranslation();
  return (
    <div style={{ marginTop: 8 }}>
      {change.oldText !== null && (
        <Typography.Paragraph delete type="danger" style={{ whiteSpace: 'pre-wrap', marginBottom: 4 }}>
          {change.oldText}
        </Typography.Paragraph>
      )}
      {change.newText !== null && (
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 4, color: '#237804' }}>
          <ins>{change.newText}</ins>
        </Typography.Paragraph>
      )}
      {change.reason && (
        <Typography.Text type="secondary">
          {t('revision.reasonIs', { reason: change.reason })}
        </Typography.Text>
      )}
      {change.opinionIds.length > 0 && (
        <Typography.Text type="secondary" style={{ display: 'block' }}>
          {t('revision.linkedOpinions', { count: change.opinionIds.length })}
        </Typography.Text>
      )}
    </div>
  );
}

export function RevisionPage() {
  const { t } = useTranslation();
  const { planId = '' } = useParams();
  const plan = usePlan(planId);
  const [revisionId, setRevisionId] = useState<string | null>(() => rememberedRevision(planId));
  const revision = useRevision(revisionId);
  const start = useStartRevision(planId);
  const accept = useAcceptOpinion(revisionId);
  const publish = usePublishRevision(planId, revisionId);
  const [checking, setChecking] = useState(false);
  const consistency = useConsistency(revisionId, checking);
  const rounds = usePlanRounds(planId);
  const roundIds = useMemo(() => (rounds.data ?? []).map((r) => r.id), [rounds.data]);
  const opinions = usePlanOpinions(roundIds);
  const [editing, setEditing] = useState<RevisionClause | null>(null);
  const [clauseFilter, setClauseFilter] = useState<string | undefined>();
  const [label, setLabel] = useState('');

  const view = revision.data;
  const changes = useMemo(() => new Map((view?.changes ?? []).map((c) => [c.id, c])), [view]);
  const accepted = useMemo(() => new Set((view?.changes ?? []).flatMap((c) => c.opinionIds)), [view]);
  const proposals = opinions.data.filter(
    (o) => o.proposedText && o.status === 'submitted' && (!clauseFilter || o.clauseStableId === clauseFilter),
  );
  const opinionsById = useMemo(() => new Map(opinions.data.map((o) => [o.id, o])), [opinions.data]);

  if (plan.isPending) {
    return <Skeleton active />;
  }
  if (plan.isError) {
    return <ErrorAlert error={plan.error} onRetry={() => void plan.refetch()} />;
  }
  const header = (
    <Card
      title={`${t('revision.title')} · ${plan.data.name}`}
      extra={<Link to={`/plans/${planId}`}>{t('round.backToPlan')}</Link>}
    >
      {!view && (
        <Space orientation="vertical">
          <Typography.Text>{t('revision.intro')}</Typography.Text>
          <Button
            type="primary"
            loading={start.isPending}
            onClick={() => start.mutate(undefined, { onSuccess: setRevisionId })}
          >
            {t('revision.start')}
          </Button>
          {start.isError && <ErrorAlert error={start.error} />}
          {revisionId && revision.isPending && <Skeleton active />}
          {revision.isError && <ErrorAlert error={revision.error} />}
        </Space>
      )}
      {view && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Flex gap={8} wrap align="center">
            <Tag color={view.revision.status === 'published' ? 'green' : 'blue'}>
              {t(`revision.statuses.${view.revision.status}`, { defaultValue: view.revision.status })}
            </Tag>
            <Typography.Text>{t('revision.changeCount', { count: view.changes.length })}</Typography.Text>
          </Flex>
          {view.revision.status !== 'published' && (
            <Flex gap={8} wrap align="end">
              <Button
                onClick={() => (checking ? void consistency.refetch() : setChecking(true))}
                loading={consistency.isFetching}
              >
                {t('revision.check')}
              </Button>
              <Form layout="inline">
                <Form.Item label={t('revision.label')}>
                  <Input
                    value={label}
                    onChange={(e) => setLabel(e.target.value)}
                    placeholder={t('revision.labelPlaceholder')}
                  />
                </Form.Item>
              </Form>
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
            </Flex>
          )}
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
  const editable = view.revision.status !== 'published';
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      {header}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <Card title={t('revision.clauses')}>
            {view.clauses.length === 0 && <Empty />}
            <List
              dataSource={view.clauses}
              renderItem={(clause) => {
                const change = clause.changeId ? changes.get(clause.changeId) : undefined;
                return (
                  <List.Item style={{ paddingInlineStart: Math.min(clause.depth, 4) * 12, display: 'block' }}>
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
                        <Button
                          size="small"
                          onClick={() => setEditing(clause)}
                          aria-label={`${t('revision.edit')} ${[clause.path, clause.heading].filter(Boolean).join(' ')}`}
                        >
                          {t('revision.edit')}
                        </Button>
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
            {opinions.isPending && <Skeleton active />}
            {opinions.error && <ErrorAlert error={opinions.error} />}
            {accept.isError && <ErrorAlert error={accept.error} />}
            {!opinions.isPending && proposals.length === 0 && (
              <Empty description={t('revision.noProposals')} />
            )}
            {proposals.map((o) => (
              <OpinionCard
                key={o.id}
                opinion={o}
                extra={
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
                  ) : null
                }
              />
            ))}
          </Card>
        </Col>
      </Row>
      <Modal
        open={editing !== null}
        title={t('revision.editTitle')}
        footer={null}
        onCancel={() => setEditing(null)}
        destroyOnHidden
      >
        {editing && revisionId && (
          <EditClause clause={editing} revisionId={revisionId} onDone={() => setEditing(null)} />
        )}
      </Modal>
    </Space>
  );
}
