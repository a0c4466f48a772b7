import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Col, Empty, Flex, Form, Input, Popconfirm, Row, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api.ts';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';
import { ItemList } from '../../ui/ItemList.tsx';
import type { AnalysisTask, Taxonomy } from './api.ts';
import { useModels, useSaveTaxonomy, useTrainModel } from './api.ts';
import type { TopicRow } from './taxonomy.ts';
import {
  MAX_KEY,
  MAX_LABEL,
  lackingLabels,
  newTopicKey,
  toInputs,
  toRows,
  topicProblems,
} from './taxonomy.ts';

/** Rows kept with a local id, so that React keeps each row's fields while keys are being typed. */
interface EditedRow extends TopicRow {
  rowId: number;
}

let nextRowId = 1;
const withRowIds = (rows: TopicRow[]): EditedRow[] => rows.map((r) => ({ ...r, rowId: nextRowId++ }));

/**
 * The plan's topic taxonomy as rows of key, name and keywords. Saving replaces it on the server, which
 * keeps the labels of topics by key and analyses the plan's active rounds again.
 */
export function TaxonomyEditor({ taxonomy, canEdit }: { taxonomy: Taxonomy; canEdit: boolean }) {
  const { t } = useTranslation();
  const save = useSaveTaxonomy(taxonomy.planId);
  const [rows, setRows] = useState<EditedRow[]>(() => withRowIds(toRows(taxonomy.topics)));
  const [saved, setSaved] = useState<number | null>(null);
  const problems = topicProblems(rows);
  const problemsOf = (index: number, field: 'key' | 'label') =>
    problems
      .filter((p) => p.index === index && p.problem.startsWith(field))
      .map((p) => t(`analysis.topicsPage.problems.${p.problem}`));
  const update = (rowId: number, patch: Partial<TopicRow>) => {
    setSaved(null);
    setRows((list) => list.map((r) => (r.rowId === rowId ? { ...r, ...patch } : r)));
  };

  if (!canEdit) {
    return taxonomy.topics.length === 0 ? (
      <Empty description={t('analysis.topicsPage.empty')} />
    ) : (
      <ItemList
        items={toRows(taxonomy.topics)}
        itemKey={(r) => r.key}
        render={(r) => (
          <Flex gap={6} wrap align="center">
            <Typography.Text strong>{r.label}</Typography.Text>
            <Tag>{r.key}</Tag>
            <Typography.Text type="secondary">{r.keywords}</Typography.Text>
          </Flex>
        )}
      />
    );
  }
  return (
    <Form layout="vertical" onFinish={() => undefined}>
      {rows.length === 0 && <Empty description={t('analysis.topicsPage.empty')} />}
      <ItemList
        items={rows}
        itemKey={(r) => r.rowId}
        itemProps={() => ({ 'data-testid': 'topic-row' })}
        render={(row) => {
          const index = rows.indexOf(row);
          const keyProblems = problemsOf(index, 'key');
          const labelProblems = problemsOf(index, 'label');
          return (
            <Row gutter={8} align="top">
              <Col xs={24} sm={12} md={5}>
                <Form.Item
                  label={t('analysis.topicsPage.label')}
                  htmlFor={`topic-label-${row.rowId}`}
                  validateStatus={labelProblems.length > 0 ? 'error' : undefined}
                  help={labelProblems.join(' ') || undefined}
                  style={{ marginBottom: 8 }}
                >
                  <Input
                    id={`topic-label-${row.rowId}`}
                    value={row.label}
                    maxLength={MAX_LABEL}
                    onChange={(e) => update(row.rowId, { label: e.target.value })}
                  />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12} md={5}>
                <Form.Item
                  label={t('analysis.topicsPage.key')}
                  htmlFor={`topic-key-${row.rowId}`}
                  validateStatus={keyProblems.length > 0 ? 'error' : undefined}
                  help={keyProblems.join(' ') || undefined}
                  style={{ marginBottom: 8 }}
                >
                  <Input
                    id={`topic-key-${row.rowId}`}
                    value={row.key}
                    maxLength={MAX_KEY}
                    onChange={(e) => update(row.rowId, { key: e.target.value })}
                  />
                </Form.Item>
              </Col>
              <Col xs={20} md={12}>
                <Form.Item
                  label={t('analysis.topicsPage.keywords')}
                  htmlFor={`topic-keywords-${row.rowId}`}
                  extra={t('analysis.topicsPage.keywordsHint')}
                  style={{ marginBottom: 8 }}
                >
                  <Input.TextArea
                    id={`topic-keywords-${row.rowId}`}
                    value={row.keywords}
                    autoSize={{ minRows: 1, maxRows: 4 }}
                    onChange={(e) => update(row.rowId, { keywords: e.target.value })}
                  />
                </Form.Item>
              </Col>
              <Col xs={4} md={2} style={{ paddingTop: 30 }}>
                <Button
                  danger
                  type="text"
                  icon={<DeleteOutlined />}
                  aria-label={t('analysis.topicsPage.remove', { label: row.label || row.key })}
                  onClick={() => {
                    setSaved(null);
                    setRows((list) => list.filter((r) => r.rowId !== row.rowId));
                  }}
                />
              </Col>
            </Row>
          );
        }}
      />
      <Flex gap={8} wrap style={{ marginTop: 8 }}>
        <Button
          icon={<PlusOutlined />}
          onClick={() =>
            setRows((list) => [
              ...list,
              { key: newTopicKey(list), label: '', keywords: '', rowId: nextRowId++ },
            ])
          }
        >
          {t('analysis.topicsPage.add')}
        </Button>
        <Popconfirm
          title={t('analysis.topicsPage.saveConfirm')}
          okText={t('common.confirm')}
          cancelText={t('common.cancel')}
          disabled={problems.length > 0}
          onConfirm={() =>
            save.mutate(toInputs(rows), {
              onSuccess: (result) => {
                setRows(withRowIds(toRows(result.topics)));
                setSaved(result.jobIds.length);
              },
            })
          }
        >
          <Button type="primary" disabled={problems.length > 0} loading={save.isPending}>
            {t('analysis.topicsPage.save')}
          </Button>
        </Popconfirm>
      </Flex>
      {save.isError && <ErrorAlert error={save.error} />}
      {saved !== null && (
        <Alert
          type="success"
          showIcon
          style={{ marginTop: 8 }}
          title={t('analysis.topicsPage.saved', { count: saved })}
        />
      )}
    </Form>
  );
}

/** Topics that lack labels, as tags of how many each has and needs. */
function Lacking({ lacking }: { lacking: readonly { key: string; labels: number; needed: number }[] }) {
  const { t } = useTranslation();
  return (
    <Flex gap={4} wrap align="center">
      <span>{t('analysis.topicsPage.lacking')}</span>
      {lacking.map((l) => (
        <Tag key={l.key} color="orange">
          {t('analysis.topicsPage.lackingItem', l)}
        </Tag>
      ))}
    </Flex>
  );
}

/** Why the server would not learn: too few labels (said in the interface's words), or its own message. */
function TrainRefused({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const lacking = error instanceof ApiError && error.status === 422 ? lackingLabels(error.details) : null;
  if (!lacking) {
    return <ErrorAlert error={error} />;
  }
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="train-refused"
      title={t('analysis.topicsPage.notEnough', { count: lacking[0]?.needed ?? 0 })}
      description={lacking.length > 0 ? <Lacking lacking={lacking} /> : undefined}
    />
  );
}

/** The models learned from people's labels, and buttons to learn topics or stances again. */
export function ModelTraining({ planId, canEdit }: { planId: string; canEdit: boolean }) {
  const { t, i18n } = useTranslation();
  const models = useModels(planId);
  const train = useTrainModel(planId);
  return (
    <Flex vertical gap={8}>
      <Typography.Text type="secondary">{t('analysis.topicsPage.modelsHint')}</Typography.Text>
      {models.isError && <ErrorAlert error={models.error} onRetry={() => void models.refetch()} />}
      {models.data?.length === 0 && (
        <Typography.Text type="secondary">{t('analysis.topicsPage.noModels')}</Typography.Text>
      )}
      {models.data?.map((m) => (
        <Typography.Text key={m.id} data-testid={`model-${m.task}`}>
          {t('analysis.topicsPage.model', {
            task: t(`analysis.topicsPage.tasks.${m.task}`),
            count: m.labelCount,
            time: new Date(m.trainedAt).toLocaleString(i18n.language),
          })}
        </Typography.Text>
      ))}
      {canEdit && (
        <Flex gap={8} wrap>
          {(['topic', 'stance'] as const satisfies readonly AnalysisTask[]).map((task) => (
            <Button
              key={task}
              loading={train.isPending && train.variables === task}
              onClick={() => train.mutate(task)}
            >
              {t(`analysis.topicsPage.train.${task}`)}
            </Button>
          ))}
        </Flex>
      )}
      {train.isError && <TrainRefused error={train.error} />}
      {train.data && (
        <Alert
          type={train.data.lacking.length > 0 ? 'warning' : 'success'}
          showIcon
          data-testid="train-result"
          title={t('analysis.topicsPage.trained', { count: train.data.labelCount })}
          description={
            <Flex vertical gap={4}>
              {train.data.learned.length > 0 && (
                <span>{t('analysis.topicsPage.learned', { list: train.data.learned.join('、') })}</span>
              )}
              {train.data.lacking.length > 0 && <Lacking lacking={train.data.lacking} />}
            </Flex>
          }
        />
      )}
    </Flex>
  );
}
