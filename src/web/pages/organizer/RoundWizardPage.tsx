import {
  Alert,
  Button,
  Card,
  Checkbox,
  Col,
  Descriptions,
  Empty,
  Flex,
  Form,
  Input,
  InputNumber,
  List,
  Popconfirm,
  Radio,
  Result,
  Row,
  Select,
  Skeleton,
  Space,
  Switch,
  Tag,
  Tree,
  Typography,
} from 'antd';
import type { TreeDataNode } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { findPeriodShortfall } from '../../../domain/round-rules.ts';
import type { QuestionsByUnit } from '../../features/analysis/routing.ts';
import { invitationsWithQuestions } from '../../features/analysis/routing.ts';
import { RoutingSuggestions } from '../../features/analysis/RoutingSuggestions.tsx';
import { usePlan, useVersion, useVersions } from '../../features/plans/api.ts';
import {
  useCreateRound,
  useDeadline,
  useRoundAction,
  useUnits,
  type NewRound,
  type Round,
  type Unit,
} from '../../features/rounds/api.ts';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';

interface WizardForm {
  versionId: string;
  title: string;
  kind: 'internal' | 'public';
  opensAt: string;
  workingDays: number;
  urgent: boolean;
  urgentReason?: string;
  scope: string[];
  visibility: NewRound['visibility'];
  silencePolicy: NewRound['silencePolicy'];
}

/** `YYYY-MM-DDTHH:mm` in local time, for a datetime-local input. */
function localDateTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function UnitPicker({
  units,
  checked,
  mandatory,
  onChecked,
  onMandatory,
}: {
  units: Unit[];
  checked: string[];
  mandatory: Set<string>;
  onChecked: (ids: string[]) => void;
  onMandatory: (id: string, value: boolean) => void;
}) {
  const { t } = useTranslation();
  const byId = useMemo(() => new Map(units.map((u) => [u.id, u])), [units]);
  const treeData = useMemo(() => {
    const children = new Map<string | null, Unit[]>();
    for (const unit of units) {
      const parent = unit.parentId && byId.has(unit.parentId) ? unit.parentId : null;
      children.set(parent, [...(children.get(parent) ?? []), unit]);
    }
    const build = (parent: string | null): TreeDataNode[] =>
      (children.get(parent) ?? []).map((u) => ({ key: u.id, children: build(u.id) }));
    return build(null);
  }, [units, byId]);
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} md={14}>
        <Tree
          checkable
          checkStrictly
          defaultExpandAll
          selectable={false}
          aria-label={t('wizard.units')}
          treeData={treeData}
          checkedKeys={checked}
          onCheck={(keys) => onChecked((Array.isArray(keys) ? keys : keys.checked).map(String))}
          titleRender={(node) => {
            const unit = byId.get(String(node.key));
            if (!unit) {
              return null;
            }
            return (
              <span>
                <Typography.Text>{unit.name}</Typography.Text>{' '}
                <Tag>{t(`assessment.levels.${unit.level}`)}</Tag>
                {unit.areas.length + unit.keywords.length > 0 && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('wizard.responsibilities')}：{[...unit.areas, ...unit.keywords].join('、')}
                  </Typography.Text>
                )}
              </span>
            );
          }}
        />
      </Col>
      <Col xs={24} md={10}>
        <Typography.Text strong>{t('wizard.invited', { count: checked.length })}</Typography.Text>
        {checked.length === 0 ? (
          <Empty description={t('wizard.noneInvited')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
        ) : (
          <List
            size="small"
            dataSource={checked}
            renderItem={(id) => (
              <List.Item>
                <Flex justify="space-between" align="center" gap={8} style={{ width: '100%' }} wrap>
                  <span>{byId.get(id)?.name ?? id}</span>
                  <Checkbox checked={mandatory.has(id)} onChange={(e) => onMandatory(id, e.target.checked)}>
                    {t('wizard.mandatory')}
                  </Checkbox>
                </Flex>
              </List.Item>
            )}
          />
        )}
      </Col>
    </Row>
  );
}

function AfterCreate({ round }: { round: Round }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const action = useRoundAction(round.id);
  const [status, setStatus] = useState(round.status);
  const run = (name: 'schedule' | 'open') =>
    action.mutate(name, {
      onSuccess: (next) => {
        const updated = next as Round;
        setStatus(updated.status);
        if (updated.status === 'open') {
          void navigate(`/rounds/${round.id}`);
        }
      },
    });
  return (
    <Result
      status="success"
      title={t('wizard.created', { title: round.title })}
      subTitle={t('wizard.createdHint', { status: t(`round.statuses.${status}`), deadline: round.deadline })}
      extra={
        <Space wrap>
          {status === 'draft' && (
            <Button type="primary" loading={action.isPending} onClick={() => run('schedule')}>
              {t('round.actions.schedule')}
            </Button>
          )}
          {status === 'scheduled' && (
            <Popconfirm
              title={t('round.confirm.open')}
              okText={t('common.confirm')}
              cancelText={t('common.cancel')}
              onConfirm={() => run('open')}
            >
              <Button type="primary" loading={action.isPending}>
                {t('round.actions.open')}
              </Button>
            </Popconfirm>
          )}
          <Link to={`/rounds/${round.id}`}>
            <Button>{t('wizard.toRound')}</Button>
          </Link>
          {action.isError && <ErrorAlert error={action.error} />}
        </Space>
      }
    />
  );
}

export function RoundWizardPage() {
  const { t } = useTranslation();
  const { planId = '' } = useParams();
  const plan = usePlan(planId);
  const versions = useVersions(planId);
  const units = useUnits();
  const create = useCreateRound(planId);
  const [form] = Form.useForm<WizardForm>();
  const [checked, setChecked] = useState<string[]>([]);
  const [mandatory, setMandatory] = useState<Set<string>>(new Set());
  const [questions, setQuestions] = useState<QuestionsByUnit>({});
  const [created, setCreated] = useState<Round | null>(null);

  const versionId = Form.useWatch('versionId', form);
  const opensAt = Form.useWatch('opensAt', form);
  const workingDays = Form.useWatch('workingDays', form);
  const urgent = Form.useWatch('urgent', form);
  const kind = Form.useWatch('kind', form);
  const version = useVersion(versionId);
  const from = typeof opensAt === 'string' && opensAt.length >= 10 ? opensAt.slice(0, 10) : undefined;
  const deadline = useDeadline(from, typeof workingDays === 'number' ? workingDays : undefined);
  // The server refuses a period shorter than the kind's minimum unless the round is marked urgent.
  const shortfall =
    deadline.data && !deadline.isFetching && !urgent
      ? findPeriodShortfall(kind ?? 'internal', deadline.data, 'workingDays')
      : null;
  const initial = useMemo(
    () => ({
      title: '',
      kind: 'internal' as const,
      opensAt: localDateTime(new Date(Date.now() + 3600_000)),
      workingDays: 5,
      urgent: false,
      scope: [],
      visibility: 'after_close' as const,
      silencePolicy: 'no_reply' as const,
    }),
    [],
  );

  if (plan.isPending || versions.isPending) {
    return <Skeleton active />;
  }
  if (plan.isError) {
    return <ErrorAlert error={plan.error} onRetry={() => void plan.refetch()} />;
  }
  if (versions.isError) {
    return <ErrorAlert error={versions.error} onRetry={() => void versions.refetch()} />;
  }
  if (versions.data.length === 0) {
    return (
      <Card title={t('wizard.title')}>
        <Empty description={t('wizard.noVersion')}>
          <Link to={`/plans/${planId}`}>{t('wizard.backToPlan')}</Link>
        </Empty>
      </Card>
    );
  }
  if (created) {
    return (
      <Card title={t('wizard.title')}>
        <AfterCreate round={created} />
      </Card>
    );
  }

  const submit = (values: WizardForm) =>
    create.mutate(
      {
        versionId: values.versionId,
        title: values.title.trim(),
        kind: values.kind,
        opensAt: new Date(values.opensAt).toISOString(),
        workingDays: values.workingDays,
        scope: values.scope.length > 0 ? values.scope : null,
        visibility: values.visibility,
        silencePolicy: values.silencePolicy,
        urgent: values.urgent ? { reason: values.urgentReason?.trim() ?? '' } : null,
        invitations: invitationsWithQuestions(checked, mandatory, questions),
      },
      { onSuccess: setCreated },
    );

  return (
    <Card
      title={`${t('wizard.title')} · ${plan.data.name}`}
      extra={<Link to={`/plans/${planId}`}>{t('wizard.backToPlan')}</Link>}
    >
      <Form<WizardForm>
        form={form}
        layout="vertical"
        initialValues={{ ...initial, versionId: versions.data.at(-1)?.id }}
        onFinish={submit}
        scrollToFirstError
      >
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item
              name="title"
              label={t('wizard.roundTitle')}
              rules={[{ required: true, whitespace: true, message: t('common.required') }]}
            >
              <Input maxLength={200} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="versionId" label={t('wizard.version')} rules={[{ required: true }]}>
              <Select options={versions.data.map((v) => ({ value: v.id, label: `v${v.seq} ${v.label}` }))} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="kind" label={t('wizard.kind')}>
              <Radio.Group
                onChange={(e) => form.setFieldValue('workingDays', e.target.value === 'public' ? 22 : 5)}
                options={[
                  { value: 'internal', label: t('wizard.kinds.internal') },
                  { value: 'public', label: t('wizard.kinds.public') },
                ]}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="opensAt"
              label={t('wizard.opensAt')}
              rules={[{ required: true, message: t('common.required') }]}
            >
              <Input type="datetime-local" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="workingDays"
              label={t('wizard.workingDays')}
              rules={[{ required: true, message: t('common.required') }]}
              extra={kind === 'public' ? t('wizard.publicMinimum') : t('wizard.internalMinimum')}
            >
              <InputNumber min={0} max={366} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item label={t('wizard.deadline')}>
              <div data-testid="computed-deadline" aria-live="polite">
                {deadline.isFetching && (
                  <Typography.Text type="secondary">{t('common.loading')}</Typography.Text>
                )}
                {deadline.isError && <ErrorAlert error={deadline.error} />}
                {deadline.data && !deadline.isFetching && (
                  <Descriptions size="small" column={1}>
                    <Descriptions.Item label={t('wizard.deadlineDate')}>
                      {deadline.data.deadline}
                    </Descriptions.Item>
                    <Descriptions.Item label={t('wizard.calendarDays')}>
                      {deadline.data.calendarDays}
                    </Descriptions.Item>
                    <Descriptions.Item label={t('wizard.closesAt')}>
                      {new Date(deadline.data.closesAt).toLocaleString()}
                    </Descriptions.Item>
                  </Descriptions>
                )}
                {shortfall && (
                  <Alert
                    type="error"
                    showIcon
                    title={t('wizard.tooShort', {
                      workingDays: deadline.data?.workingDays,
                      calendarDays: deadline.data?.calendarDays,
                      minWorkingDays: shortfall.minimum.workingDays,
                      minCalendarDays: shortfall.minimum.calendarDays,
                    })}
                  />
                )}
                {deadline.data && deadline.data.uncoveredYears.length > 0 && (
                  <Alert
                    type="warning"
                    showIcon
                    title={t('wizard.uncovered', { years: deadline.data.uncoveredYears.join('、') })}
                  />
                )}
              </div>
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="urgent" label={t('wizard.urgent')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
          {urgent && (
            <Col xs={24} md={12}>
              <Form.Item
                name="urgentReason"
                label={t('wizard.urgentReason')}
                rules={[{ required: true, whitespace: true, message: t('common.required') }]}
              >
                <Input.TextArea rows={2} />
              </Form.Item>
            </Col>
          )}
          <Col xs={24}>
            <Form.Item name="scope" label={t('wizard.scope')} extra={t('wizard.scopeHint')}>
              <Select
                mode="multiple"
                allowClear
                loading={version.isPending}
                placeholder={t('wizard.wholeDraft')}
                options={(version.data?.clauses ?? []).map((c) => ({
                  value: c.stableId,
                  label: [c.number, c.heading].filter(Boolean).join(' '),
                }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="visibility" label={t('wizard.visibility')}>
              <Select
                options={(['never', 'after_close', 'always'] as const).map((v) => ({
                  value: v,
                  label: t(`wizard.visibilities.${v}`),
                }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="silencePolicy" label={t('wizard.silencePolicy')}>
              <Radio.Group
                options={(['no_reply', 'deemed_no_objection'] as const).map((v) => ({
                  value: v,
                  label: t(`wizard.silence.${v}`),
                }))}
              />
            </Form.Item>
          </Col>
        </Row>
        <Typography.Title level={5}>{t('wizard.units')}</Typography.Title>
        <RoutingSuggestions
          versionId={versionId}
          invited={checked}
          questions={questions}
          onInvite={(ids) => setChecked((list) => [...list, ...ids.filter((id) => !list.includes(id))])}
          onQuestions={setQuestions}
        />
        {units.isPending && <Skeleton active />}
        {units.isError && <ErrorAlert error={units.error} onRetry={() => void units.refetch()} />}
        {units.data && units.data.length === 0 && <Empty description={t('wizard.noUnits')} />}
        {units.data && units.data.length > 0 && (
          <UnitPicker
            units={units.data}
            checked={checked}
            mandatory={mandatory}
            onChecked={setChecked}
            onMandatory={(id, value) =>
              setMandatory((prev) => {
                const next = new Set(prev);
                if (value) {
                  next.add(id);
                } else {
                  next.delete(id);
                }
                return next;
              })
            }
          />
        )}
        {create.isError && <ErrorAlert error={create.error} />}
        <Flex justify="end" style={{ marginTop: 16 }}>
          <Button type="primary" htmlType="submit" loading={create.isPending} disabled={shortfall !== null}>
            {t('wizard.create')}
          </Button>
        </Flex>
      </Form>
    </Card>
  );
}
