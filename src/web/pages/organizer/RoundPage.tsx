import { DownloadOutlined } from '@ant-design/icons';
import {
  Button,
  Card,
  Col,
  Descriptions,
  Drawer,
  Empty,
  Flex,
  Form,
  Input,
  List,
  Popconfirm,
  Radio,
  Row,
  Select,
  Skeleton,
  Space,
  Statistic,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import {
  basisCodes,
  dispositionCodes,
  useAssessmentQueue,
  useDecideDisposition,
  useDispositions,
  useObjections,
  useProposeDisposition,
  useReasonTemplates,
  useReviewObjection,
  useRoundOpinions,
  type Basis,
  type DispositionCode,
  type Objection,
  type Opinion,
  type OpinionFilter,
} from '../../features/assessment/api.ts';
import { OpinionCard } from '../../features/assessment/OpinionCard.tsx';
import { useVersion, type Clause } from '../../features/plans/api.ts';
import {
  actionsByStatus,
  useInvitations,
  useRound,
  useRoundAction,
  type Invitation,
  type Round,
  type RoundAction,
} from '../../features/rounds/api.ts';
import {
  countMonitorStates,
  MONITOR_STATES,
  monitorState,
  monitorStateColor,
} from '../../features/rounds/monitor.ts';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';
import { PlainText } from '../../ui/PlainText.tsx';

const CONFIRMED: ReadonlySet<RoundAction> = new Set(['open', 'close', 'feedback', 'finish']);
const ASSESSED: ReadonlySet<string> = new Set(['closed', 'assessing', 'feedback', 'finished']);

function flatten(clauses: Clause[]): Clause[] {
  return clauses.flatMap((c) => [c, ...flatten(c.children)]);
}

function RoundActions({ round }: { round: Round }) {
  const { t } = useTranslation();
  const action = useRoundAction(round.id);
  const actions = actionsByStatus[round.status] ?? [];
  return (
    <Space wrap>
      {actions.map((name) =>
        CONFIRMED.has(name) ? (
          <Popconfirm
            key={name}
            title={t(`round.confirm.${name}`)}
            okText={t('common.confirm')}
            cancelText={t('common.cancel')}
            onConfirm={() => action.mutate(name)}
          >
            <Button type="primary" loading={action.isPending && action.variables === name}>
              {t(`round.actions.${name}`)}
            </Button>
          </Popconfirm>
        ) : (
          <Button
            key={name}
            loading={action.isPending && action.variables === name}
            onClick={() => action.mutate(name)}
          >
            {t(`round.actions.${name}`)}
          </Button>
        ),
      )}
      {action.isError && <ErrorAlert error={action.error} />}
    </Space>
  );
}

function Monitor({ roundId }: { roundId: string }) {
  const { t } = useTranslation();
  const invitations = useInvitations(roundId);
  if (invitations.isPending) {
    return <Skeleton active />;
  }
  if (invitations.isError) {
    return <ErrorAlert error={invitations.error} onRetry={() => void invitations.refetch()} />;
  }
  if (invitations.data.length === 0) {
    return <Empty description={t('round.noInvitations')} />;
  }
  const counts = countMonitorStates(invitations.data);
  const columns: TableColumnsType<Invitation> = [
    {
      title: t('round.unit'),
      dataIndex: 'unitName',
      render: (name: string, inv) => (
        <span>
          {name}
          {inv.mandatory && (
            <Tag color="red" style={{ marginInlineStart: 4 }}>
              {t('wizard.mandatory')}
            </Tag>
          )}
          {inv.forwardedByUnitName && (
            <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
              {t('round.forwardedBy', { unit: inv.forwardedByUnitName })}
            </Typography.Text>
          )}
        </span>
      ),
    },
    {
      title: t('round.level'),
      dataIndex: 'level',
      render: (level: string) => t(`assessment.levels.${level}`),
    },
    {
      title: t('round.replyState'),
      key: 'state',
      render: (_, inv) => {
        const s = monitorState(inv);
        return <Tag color={monitorStateColor[s]}>{t(`round.monitor.${s}`)}</Tag>;
      },
    },
    {
      title: t('round.status'),
      dataIndex: 'status',
      render: (s: string) => t(`round.invitationStatuses.${s}`, { defaultValue: s }),
    },
    {
      title: t('round.deadline'),
      dataIndex: 'deadline',
      render: (d: string, inv) => (inv.extended ? `${d} (${t('round.extended')})` : d),
    },
    { title: t('round.replyVersion'), dataIndex: 'replyVersion' },
  ];
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Row gutter={[8, 8]}>
        {MONITOR_STATES.map((s) => (
          <Col key={s} xs={12} sm={8} md={4}>
            <Statistic title={t(`round.monitor.${s}`)} value={counts.get(s) ?? 0} />
          </Col>
        ))}
        <Col xs={12} sm={8} md={4}>
          <Statistic title={t('round.invitedTotal')} value={invitations.data.length} />
        </Col>
      </Row>
      <Table
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={invitations.data}
        pagination={false}
        scroll={{ x: 720 }}
      />
    </Space>
  );
}

interface ProposeForm {
  code: DispositionCode;
  basis?: Basis;
  reason?: string;
  templateId?: string;
}

function DispositionPanel({ opinion, roundId }: { opinion: Opinion; roundId: string }) {
  const { t, i18n } = useTranslation();
  const dispositions = useDispositions(opinion.id);
  const propose = useProposeDisposition(roundId);
  const decide = useDecideDisposition(roundId);
  const templates = useReasonTemplates();
  const [form] = Form.useForm<ProposeForm>();
  const code = Form.useWatch('code', form);
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Typography.Title level={5}>{t('assessment.dispositions')}</Typography.Title>
      {dispositions.isPending && <Skeleton active />}
      {dispositions.isError && (
        <ErrorAlert error={dispositions.error} onRetry={() => void dispositions.refetch()} />
      )}
      {dispositions.data?.length === 0 && (
        <Empty description={t('assessment.noDispositions')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
      )}
      {dispositions.data && dispositions.data.length > 0 && (
        <List
          size="small"
          dataSource={dispositions.data}
          renderItem={(d) => (
            <List.Item
              actions={
                d.status === 'proposed'
                  ? [
                      <Button
                        key="approve"
                        type="primary"
                        size="small"
                        loading={decide.isPending}
                        onClick={() => decide.mutate({ id: d.id, decision: 'approve' })}
                      >
                        {t('assessment.approve')}
                      </Button>,
                      <Button
                        key="reject"
                        size="small"
                        danger
                        onClick={() => decide.mutate({ id: d.id, decision: 'reject' })}
                      >
                        {t('assessment.reject')}
                      </Button>,
                    ]
                  : []
              }
            >
              <List.Item.Meta
                title={
                  <Flex gap={4} wrap>
                    <Tag color="blue">{t(`assessment.codes.${d.code}`)}</Tag>
                    <Tag>{t(`assessment.dispositionStatuses.${d.status}`)}</Tag>
                    {d.basis && <Tag>{t(`assessment.bases.${d.basis}`)}</Tag>}
                  </Flex>
                }
                description={
                  <>
                    <PlainText text={d.reason} />
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {new Date(d.proposedAt).toLocaleString(i18n.language)}
                    </Typography.Text>
                  </>
                }
              />
            </List.Item>
          )}
        />
      )}
      {decide.isError && <ErrorAlert error={decide.error} />}
      <Typography.Title level={5}>{t('assessment.propose')}</Typography.Title>
      <Form<ProposeForm>
        form={form}
        layout="vertical"
        onFinish={(values) =>
          propose.mutate(
            {
              opinionId: opinion.id,
              code: values.code,
              basis: values.basis ?? null,
              reason: values.reason?.trim() || null,
            },
            { onSuccess: () => form.resetFields() },
          )
        }
      >
        <Form.Item
          name="code"
          label={t('assessment.code')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Select options={dispositionCodes.map((c) => ({ value: c, label: t(`assessment.codes.${c}`) }))} />
        </Form.Item>
        {templates.data && templates.data.some((tpl) => tpl.code === code) && (
          <Form.Item name="templateId" label={t('assessment.template')}>
            <Select
              allowClear
              options={templates.data
                .filter((tpl) => tpl.code === code)
                .map((tpl) => ({ value: tpl.id, label: tpl.text }))}
              onChange={(id: string | undefined) => {
                const tpl = templates.data.find((x) => x.id === id);
                if (tpl) {
                  form.setFieldsValue({ reason: tpl.text, ...(tpl.basis ? { basis: tpl.basis } : {}) });
                }
              }}
            />
          </Form.Item>
        )}
        <Form.Item
          name="basis"
          label={t('assessment.basis')}
          rules={[{ required: code !== undefined && code !== 'adopted', message: t('common.required') }]}
        >
          <Select
            allowClear
            options={basisCodes.map((b) => ({ value: b, label: t(`assessment.bases.${b}`) }))}
          />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('assessment.reason')}
          rules={[
            {
              required: code !== undefined && code !== 'adopted',
              whitespace: true,
              message: t('assessment.reasonRequired'),
            },
          ]}
        >
          <Input.TextArea rows={3} maxLength={4000} />
        </Form.Item>
        {propose.isError && <ErrorAlert error={propose.error} />}
        <Button type="primary" htmlType="submit" loading={propose.isPending}>
          {t('assessment.proposeSubmit')}
        </Button>
      </Form>
    </Space>
  );
}

function OpinionTable({
  round,
  clauses,
  invitations,
  unitNames,
}: {
  round: Round;
  clauses: Clause[];
  invitations: Invitation[];
  unitNames: Map<string, string>;
}) {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<OpinionFilter>({});
  const opinions = useRoundOpinions(round.id, filter);
  const queue = useAssessmentQueue(round.id, ASSESSED.has(round.status));
  const [selected, setSelected] = useState<Opinion | null>(null);
  const clauseById = useMemo(() => new Map(clauses.map((c) => [c.stableId, c])), [clauses]);
  const assessed = useMemo(() => new Map((queue.data ?? []).map((q) => [q.id, q])), [queue.data]);
  const rows = useMemo(() => opinions.data?.pages.flatMap((p) => p.items) ?? [], [opinions.data]);
  const clauseName = (id: string | null) => {
    const c = id ? clauseById.get(id) : undefined;
    return c ? [c.path, c.heading].filter(Boolean).join(' ') : t('assessment.wholeDraft');
  };
  const columns: TableColumnsType<Opinion> = [
    { title: t('assessment.regNo'), dataIndex: 'regNo', width: 110, render: (v: string | null) => v ?? '—' },
    {
      title: t('assessment.clause'),
      dataIndex: 'clauseStableId',
      width: 160,
      ellipsis: true,
      render: clauseName,
    },
    {
      title: t('assessment.unit'),
      dataIndex: 'unitId',
      width: 160,
      ellipsis: true,
      render: (id: string | null) => (id ? (unitNames.get(id) ?? id) : '—'),
    },
    {
      title: t('assessment.kind'),
      dataIndex: 'kind',
      width: 100,
      render: (k: Opinion['kind'], o) => (
        <>
          {t(`assessment.kinds.${k}`)}
          {o.blocking && <Tag color="red">{t('assessment.blocking')}</Tag>}
        </>
      ),
    },
    { title: t('assessment.suggestion'), dataIndex: 'suggestion', ellipsis: true, width: 320 },
    {
      title: t('assessment.dispositionStatus'),
      key: 'disposition',
      width: 110,
      render: (_, o) => {
        const q = assessed.get(o.id);
        return q ? (
          <Tag
            color={
              q.dispositionStatus === 'approved'
                ? 'green'
                : q.dispositionStatus === 'proposed'
                  ? 'blue'
                  : 'default'
            }
          >
            {t(`assessment.queue.${q.dispositionStatus}`)}
          </Tag>
        ) : (
          '—'
        );
      },
    },
    {
      title: t('assessment.actions'),
      key: 'actions',
      width: 90,
      render: (_, o) => (
        <Button
          size="small"
          onClick={() => setSelected(o)}
          aria-label={`${t('assessment.assess')} ${o.regNo ?? ''}`}
        >
          {t('assessment.assess')}
        </Button>
      ),
    },
  ];
  const unitOptions = invitations.map((inv) => ({ value: inv.unitId, label: inv.unitName }));
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Form layout="vertical">
        <Row gutter={8}>
          <Col xs={24} sm={12} md={6}>
            <Form.Item label={t('assessment.filter.clause')}>
              <Select
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                value={filter.clause}
                onChange={(v: string | undefined) => setFilter((f) => ({ ...f, clause: v }))}
                options={clauses.map((c) => ({
                  value: c.stableId,
                  label: [c.path, c.heading].filter(Boolean).join(' '),
                }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12} md={6}>
            <Form.Item label={t('assessment.filter.unit')}>
              <Select
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                value={filter.unit}
                onChange={(v: string | undefined) => setFilter((f) => ({ ...f, unit: v }))}
                options={unitOptions}
              />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item label={t('assessment.filter.status')}>
              <Select
                allowClear
                value={filter.status}
                onChange={(v: Opinion['status'] | undefined) => setFilter((f) => ({ ...f, status: v }))}
                options={(['draft', 'submitted', 'withdrawn'] as const).map((s) => ({
                  value: s,
                  label: t(`assessment.statuses.${s}`),
                }))}
              />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item label={t('assessment.filter.kind')}>
              <Select
                allowClear
                value={filter.kind}
                onChange={(v: Opinion['kind'] | undefined) => setFilter((f) => ({ ...f, kind: v }))}
                options={(['substantive', 'editorial', 'question'] as const).map((k) => ({
                  value: k,
                  label: t(`assessment.kinds.${k}`),
                }))}
              />
            </Form.Item>
          </Col>
        </Row>
      </Form>
      {opinions.isError && <ErrorAlert error={opinions.error} onRetry={() => void opinions.refetch()} />}
      <Typography.Text type="secondary" data-testid="opinion-count">
        {t('assessment.count', { count: rows.length })}
        {opinions.hasNextPage && ` · ${t('common.loading')}`}
      </Typography.Text>
      <Table<Opinion>
        rowKey="id"
        size="small"
        virtual
        scroll={{ x: 1050, y: 600 }}
        loading={opinions.isPending}
        columns={columns}
        dataSource={rows}
        pagination={false}
        locale={{ emptyText: <Empty description={t('assessment.empty')} /> }}
      />
      <Drawer
        open={selected !== null}
        onClose={() => setSelected(null)}
        title={selected ? `${selected.regNo ?? ''} ${clauseName(selected.clauseStableId)}` : ''}
        size="large"
        destroyOnHidden
      >
        {selected && (
          <>
            {selected.clauseStableId && clauseById.get(selected.clauseStableId)?.text && (
              <Card size="small" title={t('assessment.clauseText')} style={{ marginBottom: 8 }}>
                <PlainText text={clauseById.get(selected.clauseStableId)?.text} />
              </Card>
            )}
            <OpinionCard
              opinion={selected}
              unitName={selected.unitId ? unitNames.get(selected.unitId) : undefined}
            />
            <DispositionPanel opinion={selected} roundId={round.id} />
          </>
        )}
      </Drawer>
    </Space>
  );
}

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

function Objections({ round, unitNames }: { round: Round; unitNames: Map<string, string> }) {
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

const EXPORTS: { kind: string; formats: string[] }[] = [
  { kind: 'opinions', formats: ['xlsx', 'docx'] },
  { kind: 'dispositions', formats: ['xlsx', 'docx'] },
  { kind: 'comparison', formats: ['docx'] },
  { kind: 'revision', formats: ['docx'] },
  { kind: 'report', formats: ['docx'] },
  { kind: 'ledger', formats: ['jsonl'] },
];

function Exports({ roundId }: { roundId: string }) {
  const { t } = useTranslation();
  return (
    <List
      dataSource={EXPORTS}
      renderItem={(e) => (
        <List.Item>
          <Flex justify="space-between" wrap gap={8} style={{ width: '100%' }}>
            <Typography.Text>{t(`exports.${e.kind}`)}</Typography.Text>
            <Space wrap>
              {e.formats.map((f) => (
                <a key={f} href={`/api/v1/rounds/${roundId}/exports/${e.kind}?format=${f}`} download>
                  <DownloadOutlined /> {t(`exports.${e.kind}`)} .{f}
                </a>
              ))}
            </Space>
          </Flex>
        </List.Item>
      )}
    />
  );
}

export function RoundPage() {
  const { t, i18n } = useTranslation();
  const { roundId = '' } = useParams();
  const round = useRound(roundId);
  const invitations = useInvitations(roundId);
  const version = useVersion(round.data?.versionId);
  const clauses = useMemo(() => flatten(version.data?.clauses ?? []), [version.data]);
  const unitNames = useMemo(
    () => new Map((invitations.data ?? []).map((i) => [i.unitId, i.unitName])),
    [invitations.data],
  );
  if (round.isPending) {
    return <Skeleton active />;
  }
  if (round.isError) {
    return <ErrorAlert error={round.error} onRetry={() => void round.refetch()} />;
  }
  const r = round.data;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={
          <Flex gap={8} wrap align="center">
            <span>{r.title}</span>
            <Tag color="blue" data-testid="round-status">
              {t(`round.statuses.${r.status}`)}
            </Tag>
          </Flex>
        }
        extra={<Link to={`/plans/${r.planId}`}>{t('round.backToPlan')}</Link>}
      >
        <Descriptions size="small" column={{ xs: 1, sm: 2, md: 3 }}>
          <Descriptions.Item label={t('wizard.kind')}>{t(`wizard.kinds.${r.kind}`)}</Descriptions.Item>
          <Descriptions.Item label={t('wizard.opensAt')}>
            {new Date(r.opensAt).toLocaleString(i18n.language)}
          </Descriptions.Item>
          <Descriptions.Item label={t('round.deadline')}>
            {r.deadline} ({t('round.workingDays', { count: r.workingDays })})
          </Descriptions.Item>
          <Descriptions.Item label={t('wizard.visibility')}>
            {t(`wizard.visibilities.${r.visibility}`)}
          </Descriptions.Item>
          <Descriptions.Item label={t('wizard.silencePolicy')}>
            {t(`wizard.silence.${r.silencePolicy}`)}
          </Descriptions.Item>
          {r.urgent && (
            <Descriptions.Item label={t('wizard.urgent')}>
              {r.urgentReason} ({r.urgentStatus})
            </Descriptions.Item>
          )}
        </Descriptions>
        <RoundActions round={r} />
      </Card>
      <Card>
        <Tabs
          items={[
            { key: 'monitor', label: t('round.tabs.monitor'), children: <Monitor roundId={roundId} /> },
            {
              key: 'opinions',
              label: t('round.tabs.opinions'),
              children: (
                <OpinionTable
                  round={r}
                  clauses={clauses}
                  invitations={invitations.data ?? []}
                  unitNames={unitNames}
                />
              ),
            },
            {
              key: 'objections',
              label: t('round.tabs.objections'),
              children: <Objections round={r} unitNames={unitNames} />,
            },
            { key: 'exports', label: t('round.tabs.exports'), children: <Exports roundId={roundId} /> },
          ]}
        />
      </Card>
    </Space>
  );
}
