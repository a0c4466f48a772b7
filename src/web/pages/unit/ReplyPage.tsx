import {
  Alert,
  Button,
  Card,
  Checkbox,
  Empty,
  Flex,
  Form,
  Input,
  message,
  Modal,
  Popconfirm,
  Radio,
  Select,
  Space,
  Spin,
  Steps,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { Me } from '../../features/auth/api.ts';
import { useMe } from '../../features/auth/api.ts';
import type { MyInvitation } from '../../features/inbox/api.ts';
import { useMyInvitations } from '../../features/inbox/api.ts';
import type { ClauseNode, Opinion, OpinionKind, Position, Quality } from '../../features/reply/api.ts';
import {
  checkQuality,
  flattenClauses,
  useOpinionActions,
  useReplies,
  useReplyActions,
  useUnitOpinions,
  useVersion,
} from '../../features/reply/api.ts';
import { emptyForm, orNull, toInput, WHOLE, type FormValues } from '../../features/reply/opinion-form.ts';
import { qualityView, shouldCheckQuality } from '../../features/reply/quality.ts';
import { DeadlineTag } from '../../ui/DeadlineTag.tsx';
import { isPastChinaDay } from '../../ui/deadline.ts';
import { ErrorAlert, errorMessage } from '../../ui/ErrorAlert.tsx';
import { ItemList } from '../../ui/ItemList.tsx';
import { statusColor } from './InboxPage.tsx';

const DRAFTING_ROUNDS = new Set(['open', 'closed', 'assessing']);
const RESTARTABLE = new Set(['invited', 'acknowledged', 'silent', 'deemed_no_objection', 'sent']);
const POSITIONS: Position[] = ['no_opinion', 'agree_in_principle', 'agree_with_amendments', 'disagree'];
const KINDS: OpinionKind[] = ['substantive', 'editorial', 'question'];

const clauseLabel = (c: Pick<ClauseNode, 'number' | 'heading' | 'text'>): string =>
  [c.number, c.heading].filter(Boolean).join(' ') || c.text.slice(0, 24);

/** Live quality hints while typing: the server's check, debounced. */
function QualityHints({ form }: { form: ReturnType<typeof Form.useForm<FormValues>>[0] }) {
  const { t } = useTranslation();
  const values = Form.useWatch([], form) as FormValues | undefined;
  const [quality, setQuality] = useState<Quality | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const key = JSON.stringify(values ? toInput(values) : null);
  useEffect(() => {
    const input = values ? toInput(values) : null;
    if (!input || !shouldCheckQuality(input)) {
      setQuality(null);
      return undefined;
    }
    let cancelled = false;
    const timer = setTimeout(() => {
      checkQuality(input)
        .then((q) => {
          if (!cancelled) {
            setQuality(q);
            setFailed(null);
          }
        })
        .catch((error: unknown) => {
          if (!cancelled) {
            setFailed(errorMessage(error));
          }
        });
    }, 400);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [key]);
  if (failed) {
    return <Alert type="info" showIcon title={failed} />;
  }
  if (!quality) {
    return null;
  }
  const view = qualityView(quality);
  return (
    <div aria-live="polite" data-testid="quality-hints">
      {view.kind === 'ok' ? (
        <Alert type="success" showIcon title={t('reply.quality.ok', { score: view.score })} />
      ) : (
        <Alert
          type="warning"
          showIcon
          title={t('reply.quality.title', { score: view.score })}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 18 }}>
              {view.items.map((item) => (
                <li key={item.flag}>{t(item.key, { defaultValue: item.fallback })}</li>
              ))}
            </ul>
          }
        />
      )}
    </div>
  );
}

function ClauseBlock({
  clause,
  depth,
  questions,
  count,
  canWrite,
  onComment,
}: {
  clause: ClauseNode;
  depth: number;
  questions: string[];
  count: number;
  canWrite: boolean;
  onComment: (stableId: string, quote: string | null) => void;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const onSelect = () => {
    setTimeout(() => {
      const selection = window.getSelection();
      const text = selection?.toString().trim() ?? '';
      if (!canWrite || !text || !selection?.anchorNode || !ref.current?.contains(selection.anchorNode)) {
        return;
      }
      onComment(clause.stableId, text.slice(0, 2000));
    }, 0);
  };
  const highlighted = questions.length > 0;
  return (
    <div
      data-testid="clause"
      data-stable-id={clause.stableId}
      style={{
        marginInlineStart: Math.min(depth, 4) * 12,
        padding: '8px 10px',
        borderInlineStart: `3px solid ${highlighted ? '#fa8c16' : 'transparent'}`,
        background: highlighted ? '#fff7e6' : undefined,
        borderRadius: 4,
      }}
    >
      <div ref={ref} onMouseUp={onSelect} onTouchEnd={onSelect}>
        {(clause.number || clause.heading) && (
          <Typography.Text strong>
            {[clause.number, clause.heading].filter(Boolean).join(' ')}{' '}
          </Typography.Text>
        )}
        <Typography.Text>{clause.text}</Typography.Text>
      </div>
      {questions.map((q) => (
        <Alert
          key={q}
          style={{ marginTop: 6 }}
          type="warning"
          showIcon
          title={
            <span>
              <Tag color="orange">{t('reply.draft.question')}</Tag>
              {q}
            </span>
          }
        />
      ))}
      <Space size={4} style={{ marginTop: 4 }} wrap>
        {count > 0 && <Tag color="blue">{t('reply.draft.opinionCount', { count })}</Tag>}
        {canWrite && (
          <Button size="small" type="link" onClick={() => onComment(clause.stableId, null)}>
            {t('reply.draft.comment')}
          </Button>
        )}
      </Space>
    </div>
  );
}

function OpinionItem({
  opinion,
  me,
  clauseName,
  editable,
  onEdit,
  onDelete,
  deleting,
}: {
  opinion: Opinion;
  me: Me;
  clauseName: string;
  editable: boolean;
  onEdit: () => void;
  onDelete: () => void;
  deleting: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Card size="small" data-testid="opinion" style={{ width: '100%' }}>
      <Flex vertical gap={4}>
        <Space wrap size={[4, 4]}>
          <Typography.Text strong>{clauseName}</Typography.Text>
          <Tag
            color={opinion.status === 'draft' ? 'blue' : opinion.status === 'submitted' ? 'green' : 'default'}
          >
            {t(`reply.opinion.status.${opinion.status}`)}
          </Tag>
          {opinion.regNo && <Tag>{opinion.regNo}</Tag>}
          <Tag>{t(`reply.kind.${opinion.kind}`)}</Tag>
          {opinion.blocking && <Tag color="red">{t('reply.form.blockingTag')}</Tag>}
          <Typography.Text type="secondary">
            {opinion.authorId === me.id ? t('reply.opinion.mine') : t('reply.opinion.colleague')}
          </Typography.Text>
          {opinion.quality.flags.map((f) => (
            <Tag key={f} color="warning">
              {t(`reply.quality.flagShort.${f}`, { defaultValue: f })}
            </Tag>
          ))}
        </Space>
        {opinion.quote && (
          <Typography.Text type="secondary" italic>
            「{opinion.quote}」
          </Typography.Text>
        )}
        <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }}>
          {opinion.suggestion}
        </Typography.Paragraph>
        {opinion.reasons && (
          <Typography.Paragraph type="secondary" style={{ margin: 0, whiteSpace: 'pre-wrap' }}>
            {t('reply.form.reasons')}：{opinion.reasons}
          </Typography.Paragraph>
        )}
        {opinion.proposedText && (
          <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }}>
            {t('reply.form.proposedText')}：{opinion.proposedText}
          </Typography.Paragraph>
        )}
        {editable && opinion.status === 'draft' && (
          <Space>
            <Button size="small" onClick={onEdit}>
              {t('reply.opinion.edit')}
            </Button>
            <Popconfirm
              title={t('reply.opinion.deleteConfirm')}
              okText={t('reply.opinion.delete')}
              cancelText={t('reply.cancel')}
              onConfirm={onDelete}
            >
              <Button size="small" danger loading={deleting}>
                {t('reply.opinion.delete')}
              </Button>
            </Popconfirm>
          </Space>
        )}
      </Flex>
    </Card>
  );
}

function ReplyPanel({ invitation, me }: { invitation: MyInvitation; me: Me }) {
  const { t } = useTranslation();
  const [messageApi, contextHolder] = message.useMessage();
  const actions = useReplyActions(invitation.id, invitation.roundId, invitation.unitId);
  const replies = useReplies(invitation.id);
  const [sendForm] = Form.useForm<{ position: Position; summary?: string; late?: boolean }>();
  const [returning, setReturning] = useState(false);
  const [note, setNote] = useState('');
  const isLiaison = me.roles.includes('liaison');
  const isHead = me.roles.includes('unit_head');
  const status = invitation.status;
  const roundAccepts = DRAFTING_ROUNDS.has(invitation.roundStatus);
  const pastDeadline = invitation.workingDaysLeft < 0 || isPastChinaDay(invitation.deadline);
  const stepIndex = { drafting: 0, in_review: 1, signed_off: 2, sent: 3 }[status as string] ?? 0;
  const lastError = actions.step.error ?? actions.send.error ?? actions.returnForChanges.error;
  const done = (text: string) => () => void messageApi.success(text);

  return (
    <Flex vertical gap={12}>
      {contextHolder}
      <Steps
        size="small"
        current={stepIndex}
        items={[
          { title: t('reply.steps.drafting') },
          { title: t('reply.steps.review') },
          { title: t('reply.steps.signedOff') },
          { title: t('reply.steps.sent') },
        ]}
      />
      {lastError && <ErrorAlert error={lastError} />}
      <Space wrap>
        {roundAccepts && RESTARTABLE.has(status) && (isLiaison || isHead) && (
          <Button
            loading={actions.step.isPending}
            onClick={() =>
              actions.step.mutate('start-drafting', { onSuccess: done(t('reply.actions.started')) })
            }
          >
            {status === 'sent' ? t('reply.actions.restart') : t('reply.actions.start')}
          </Button>
        )}
        {status === 'drafting' && isLiaison && (
          <Popconfirm
            title={t('reply.actions.submitConfirm')}
            okText={t('reply.actions.submit')}
            cancelText={t('reply.cancel')}
            onConfirm={() =>
              actions.step.mutate('submit-for-review', { onSuccess: done(t('reply.actions.submitted')) })
            }
          >
            <Button type="primary" loading={actions.step.isPending}>
              {t('reply.actions.submit')}
            </Button>
          </Popconfirm>
        )}
        {status === 'in_review' && isHead && (
          <Popconfirm
            title={t('reply.actions.signOffConfirm')}
            okText={t('reply.actions.signOff')}
            cancelText={t('reply.cancel')}
            onConfirm={() =>
              actions.step.mutate('sign-off', { onSuccess: done(t('reply.actions.signedOff')) })
            }
          >
            <Button type="primary" loading={actions.step.isPending}>
              {t('reply.actions.signOff')}
            </Button>
          </Popconfirm>
        )}
        {(status === 'in_review' || status === 'signed_off') && isHead && (
          <Button onClick={() => setReturning(true)}>{t('reply.actions.return')}</Button>
        )}
      </Space>
      {status === 'drafting' && !isLiaison && <Alert type="info" title={t('reply.actions.waitLiaison')} />}
      {status === 'in_review' && !isHead && <Alert type="info" title={t('reply.actions.waitHead')} />}
      <Modal
        open={returning}
        title={t('reply.actions.return')}
        okText={t('reply.actions.return')}
        cancelText={t('reply.cancel')}
        okButtonProps={{ disabled: note.trim() === '', loading: actions.returnForChanges.isPending }}
        onCancel={() => setReturning(false)}
        onOk={() =>
          actions.returnForChanges.mutate(note.trim(), {
            onSuccess: () => {
              setReturning(false);
              setNote('');
              void messageApi.success(t('reply.actions.returned'));
            },
          })
        }
      >
        <Form layout="vertical">
          <Form.Item label={t('reply.actions.returnNote')} required>
            <Input.TextArea
              value={note}
              onChange={(e) => setNote(e.target.value)}
              autoSize={{ minRows: 3 }}
            />
          </Form.Item>
        </Form>
      </Modal>
      {status === 'signed_off' && (isLiaison || isHead) && (
        <Card size="small" title={t('reply.send.title')}>
          <Form
            form={sendForm}
            layout="vertical"
            initialValues={{ position: 'agree_in_principle', late: false }}
            onFinish={(values) =>
              actions.send.mutate(
                { position: values.position, summary: orNull(values.summary), late: values.late === true },
                {
                  onSuccess: (receipt) => {
                    void messageApi.success(t('reply.send.done', { number: receipt.number }));
                  },
                },
              )
            }
          >
            <Form.Item name="position" label={t('reply.send.position')} rules={[{ required: true }]}>
              <Radio.Group>
                <Space orientation="vertical">
                  {POSITIONS.map((p) => (
                    <Radio key={p} value={p}>
                      {t(`reply.position.${p}`)}
                    </Radio>
                  ))}
                </Space>
              </Radio.Group>
            </Form.Item>
            <Form.Item name="summary" label={t('reply.send.summary')}>
              <Input.TextArea autoSize={{ minRows: 2 }} maxLength={5000} />
            </Form.Item>
            {pastDeadline && (
              <Form.Item name="late" valuePropName="checked" label={t('reply.send.lateLabel')}>
                <Checkbox>{t('reply.send.late')}</Checkbox>
              </Form.Item>
            )}
            <Popconfirm
              title={t('reply.send.confirm', { version: invitation.replyVersion + 1 })}
              okText={t('reply.send.submit')}
              cancelText={t('reply.cancel')}
              onConfirm={() => sendForm.submit()}
            >
              <Button type="primary" loading={actions.send.isPending}>
                {t('reply.send.submit')}
              </Button>
            </Popconfirm>
          </Form>
        </Card>
      )}
      <Card size="small" title={t('reply.receipts.title')}>
        {replies.isPending ? (
          <Spin />
        ) : replies.isError ? (
          <ErrorAlert error={replies.error} onRetry={() => void replies.refetch()} />
        ) : replies.data.length === 0 ? (
          <Empty description={t('reply.receipts.empty')} />
        ) : (
          <ItemList
            items={[...replies.data].sort((a, b) => b.version - a.version)}
            itemKey={(r) => r.id}
            itemProps={() => ({ 'data-testid': 'receipt' })}
            render={(r) => (
              <>
                <Flex vertical gap={2} style={{ minWidth: 0, width: '100%' }}>
                  <Space wrap>
                    <Typography.Text strong>{r.number}</Typography.Text>
                    <Tag>{t('reply.receipts.version', { version: r.version })}</Tag>
                    <Tag color="green">{t(`reply.position.${r.position}`)}</Tag>
                    {r.late && <Tag color="orange">{t('inbox.late')}</Tag>}
                  </Space>
                  <Typography.Text type="secondary">
                    {t('reply.receipts.sentAt', { time: new Date(r.sentAt).toLocaleString() })}
                  </Typography.Text>
                  <Typography.Text
                    code
                    copyable={{ text: r.receipt.ledger.hash }}
                    style={{ wordBreak: 'break-all', fontSize: 12 }}
                  >
                    {t('reply.receipts.hash', { alg: r.receipt.ledger.alg, seq: r.receipt.ledger.seq })}{' '}
                    {r.receipt.ledger.hash}
                  </Typography.Text>
                </Flex>
              </>
            )}
          />
        )}
      </Card>
      <Link to="/inbox">{t('reply.back')}</Link>
    </Flex>
  );
}

function Workspace({ invitation, me }: { invitation: MyInvitation; me: Me }) {
  const { t } = useTranslation();
  const [messageApi, contextHolder] = message.useMessage();
  const [form] = Form.useForm<FormValues>();
  const [tab, setTab] = useState('draft');
  const [editingId, setEditingId] = useState<string | null>(null);
  const version = useVersion(invitation.versionId);
  const opinions = useUnitOpinions(invitation.roundId, invitation.unitId);
  const actions = useOpinionActions(invitation.roundId, invitation.unitId);
  const isMember = me.roles.includes('liaison') || me.roles.includes('unit_head');
  const roundAccepts = DRAFTING_ROUNDS.has(invitation.roundStatus);
  const canCreate =
    isMember && roundAccepts && ['invited', 'acknowledged', 'drafting'].includes(invitation.status);
  const canEdit = isMember && roundAccepts && invitation.status === 'drafting';

  const flat = useMemo(() => flattenClauses(version.data?.clauses ?? []), [version.data]);
  const byStableId = useMemo(
    () => new Map(flat.map(({ clause }) => [clause.stableId, clause] as const)),
    [flat],
  );
  const questionsOf = useMemo(() => {
    const map = new Map<string, string[]>();
    for (const q of invitation.questions) {
      map.set(q.clauseStableId, [...(map.get(q.clauseStableId) ?? []), q.question]);
    }
    return map;
  }, [invitation.questions]);
  const countOf = useMemo(() => {
    const map = new Map<string, number>();
    for (const o of opinions.data ?? []) {
      if (o.clauseStableId && o.status !== 'withdrawn') {
        map.set(o.clauseStableId, (map.get(o.clauseStableId) ?? 0) + 1);
      }
    }
    return map;
  }, [opinions.data]);
  const clauseName = (stableId: string | null): string => {
    if (!stableId) {
      return t('reply.wholeDraft');
    }
    const clause = byStableId.get(stableId);
    return clause ? clauseLabel(clause) : stableId;
  };

  const comment = (stableId: string, quote: string | null) => {
    if (editingId === null) {
      form.setFieldsValue({ clauseStableId: stableId, quote: quote ?? undefined });
    } else {
      form.setFieldsValue({ clauseStableId: stableId, ...(quote ? { quote } : {}) });
    }
    if (quote) {
      void messageApi.info(t('reply.draft.quoted'));
    } else {
      setTab('opinions');
    }
  };

  const startEdit = (o: Opinion) => {
    setEditingId(o.id);
    form.setFieldsValue({
      clauseStableId: o.clauseStableId ?? WHOLE,
      quote: o.quote ?? undefined,
      suggestion: o.suggestion,
      reasons: o.reasons ?? undefined,
      proposedText: o.proposedText ?? undefined,
      kind: o.kind,
      blocking: o.blocking,
    });
    setTab('opinions');
  };
  const resetForm = () => {
    setEditingId(null);
    form.resetFields();
  };
  const save = (values: FormValues) => {
    const input = toInput(values);
    const onSuccess = () => {
      void messageApi.success(t('reply.form.saved'));
      resetForm();
    };
    if (editingId) {
      actions.update.mutate({ id: editingId, input }, { onSuccess });
    } else {
      actions.create.mutate(input, { onSuccess });
    }
  };
  const saveError = editingId ? actions.update.error : actions.create.error;
  const saving = actions.create.isPending || actions.update.isPending;

  const clauseOptions = useMemo(
    () => [
      { value: WHOLE, label: t('reply.wholeDraft') },
      ...flat
        .filter(({ clause }) => clause.text.trim() !== '' || clause.number)
        .map(({ clause }) => ({
          value: clause.stableId,
          label: `${clauseLabel(clause)}${clause.number || clause.heading ? ` ${clause.text.slice(0, 20)}` : ''}`,
        })),
    ],
    [flat, t],
  );

  const draftTab = version.isPending ? (
    <Spin description={t('common.loading')}>
      <div style={{ minHeight: 80 }} />
    </Spin>
  ) : version.isError ? (
    <ErrorAlert error={version.error} onRetry={() => void version.refetch()} />
  ) : (
    <Flex vertical gap={4}>
      {invitation.questions.length > 0 && (
        <Alert
          type="warning"
          showIcon
          title={t('reply.draft.questionsIntro', { count: invitation.questions.length })}
        />
      )}
      {canCreate && <Typography.Text type="secondary">{t('reply.draft.selectHint')}</Typography.Text>}
      {canCreate && (
        <div>
          <Button
            onClick={() => {
              form.setFieldsValue({ clauseStableId: WHOLE });
              setTab('opinions');
            }}
          >
            {t('reply.draft.commentWhole')}
          </Button>
        </div>
      )}
      {flat.length === 0 ? (
        <Empty description={t('reply.draft.empty')} />
      ) : (
        flat.map(({ clause, depth }) => (
          <ClauseBlock
            key={clause.id}
            clause={clause}
            depth={depth}
            questions={questionsOf.get(clause.stableId) ?? []}
            count={countOf.get(clause.stableId) ?? 0}
            canWrite={canCreate}
            onComment={comment}
          />
        ))
      )}
    </Flex>
  );

  const opinionsTab = (
    <Flex vertical gap={12}>
      {(canCreate || editingId) && (
        <Card size="small" title={editingId ? t('reply.form.editTitle') : t('reply.form.newTitle')}>
          <Form<FormValues> form={form} layout="vertical" initialValues={emptyForm} onFinish={save}>
            <Form.Item name="clauseStableId" label={t('reply.form.target')} rules={[{ required: true }]}>
              <Select showSearch={{ optionFilterProp: 'label' }} options={clauseOptions} />
            </Form.Item>
            <Form.Item name="quote" label={t('reply.form.quote')} extra={t('reply.form.quoteHint')}>
              <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={2000} />
            </Form.Item>
            <Form.Item
              name="suggestion"
              label={t('reply.form.suggestion')}
              rules={[{ required: true, whitespace: true, message: t('reply.form.suggestionRequired') }]}
            >
              <Input.TextArea autoSize={{ minRows: 3 }} maxLength={10000} />
            </Form.Item>
            <Form.Item name="reasons" label={t('reply.form.reasons')}>
              <Input.TextArea autoSize={{ minRows: 2 }} maxLength={20000} />
            </Form.Item>
            <Form.Item name="proposedText" label={t('reply.form.proposedText')}>
              <Input.TextArea autoSize={{ minRows: 2 }} maxLength={20000} />
            </Form.Item>
            <Form.Item name="kind" label={t('reply.form.kind')}>
              <Radio.Group>
                {KINDS.map((k) => (
                  <Radio key={k} value={k}>
                    {t(`reply.kind.${k}`)}
                  </Radio>
                ))}
              </Radio.Group>
            </Form.Item>
            <Form.Item name="blocking" valuePropName="checked" label={t('reply.form.blockingLabel')}>
              <Checkbox>{t('reply.form.blocking')}</Checkbox>
            </Form.Item>
            <Form.Item>
              <QualityHints form={form} />
            </Form.Item>
            {saveError && (
              <Form.Item>
                <ErrorAlert error={saveError} />
              </Form.Item>
            )}
            <Space wrap>
              <Button type="primary" htmlType="submit" loading={saving}>
                {editingId ? t('reply.form.update') : t('reply.form.save')}
              </Button>
              <Button onClick={resetForm}>
                {editingId ? t('reply.form.cancelEdit') : t('reply.form.clear')}
              </Button>
            </Space>
          </Form>
        </Card>
      )}
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('reply.opinion.listTitle', { count: opinions.data?.length ?? 0 })}
      </Typography.Title>
      {opinions.isPending ? (
        <Spin />
      ) : opinions.isError ? (
        <ErrorAlert error={opinions.error} onRetry={() => void opinions.refetch()} />
      ) : opinions.data.length === 0 ? (
        <Empty description={t('reply.opinion.empty')} />
      ) : (
        <Flex vertical gap={8}>
          {opinions.data.map((o) => (
            <OpinionItem
              key={o.id}
              opinion={o}
              me={me}
              clauseName={clauseName(o.clauseStableId)}
              editable={canEdit}
              onEdit={() => startEdit(o)}
              deleting={actions.remove.isPending && actions.remove.variables === o.id}
              onDelete={() =>
                actions.remove.mutate(o.id, {
                  onSuccess: () => {
                    if (editingId === o.id) {
                      resetForm();
                    }
                    void messageApi.success(t('reply.opinion.deleted'));
                  },
                  onError: (error) => void messageApi.error(errorMessage(error)),
                })
              }
            />
          ))}
        </Flex>
      )}
    </Flex>
  );

  return (
    <Flex vertical gap={12} style={{ maxWidth: 960, margin: '0 auto' }}>
      {contextHolder}
      <div>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {invitation.roundTitle}
        </Typography.Title>
        <Typography.Text type="secondary">{invitation.planName}</Typography.Text>
      </div>
      <Space wrap size={[4, 4]}>
        <Tag color={statusColor[invitation.status]}>{t(`inbox.status.${invitation.status}`)}</Tag>
        <DeadlineTag
          workingDaysLeft={invitation.workingDaysLeft}
          deadline={invitation.deadline}
          done={['sent', 'silent', 'deemed_no_objection'].includes(invitation.status)}
        />
        {!['sent', 'silent', 'deemed_no_objection'].includes(invitation.status) && (
          <Typography.Text type="secondary">
            {t('inbox.deadlineOn', { date: invitation.deadline })}
          </Typography.Text>
        )}
      </Space>
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          { key: 'draft', label: t('reply.tabs.draft'), children: draftTab },
          {
            key: 'opinions',
            forceRender: true,
            label: t('reply.tabs.opinions', { count: opinions.data?.length ?? 0 }),
            children: opinionsTab,
          },
          {
            key: 'reply',
            label: t('reply.tabs.reply'),
            children: <ReplyPanel invitation={invitation} me={me} />,
          },
        ]}
      />
    </Flex>
  );
}

/** The reply workspace of one solicitation: read the draft, write opinions, review, sign off, send. */
export function ReplyPage() {
  const { t } = useTranslation();
  const { invitationId } = useParams();
  const me = useMe();
  const inbox = useMyInvitations();
  if (inbox.isPending || me.isPending) {
    return (
      <Spin description={t('common.loading')}>
        <div style={{ minHeight: 80 }} />
      </Spin>
    );
  }
  if (inbox.isError) {
    return <ErrorAlert error={inbox.error} onRetry={() => void inbox.refetch()} />;
  }
  const invitation = inbox.data.find((i) => i.id === invitationId);
  if (!invitation || !me.data) {
    return (
      <Empty description={t('reply.notFound')}>
        <Link to="/inbox">{t('reply.back')}</Link>
      </Empty>
    );
  }
  return <Workspace invitation={invitation} me={me.data} />;
}
