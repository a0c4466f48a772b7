import { Button, Empty, Flex, Form, Input, List, Select, Skeleton, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';
import { PlainText } from '../../ui/PlainText.tsx';
import type { Basis, DispositionCode, Opinion } from './api.ts';
import {
  basisCodes,
  dispositionCodes,
  useAssessOpinion,
  useDecideDisposition,
  useDispositions,
  useProposeDisposition,
  useReasonTemplates,
} from './api.ts';

interface ProposeForm {
  code: DispositionCode;
  basis?: Basis;
  reason?: string;
  templateId?: string;
}

/** One opinion's priority, its dispositions with approve/reject, and the form to propose another. */
export function DispositionPanel({
  opinion,
  roundId,
  planId,
}: {
  opinion: Opinion;
  roundId: string;
  planId: string;
}) {
  const { t, i18n } = useTranslation();
  const dispositions = useDispositions(opinion.id);
  const propose = useProposeDisposition(roundId);
  const decide = useDecideDisposition(roundId);
  const assess = useAssessOpinion(roundId);
  const templates = useReasonTemplates(planId);
  const [form] = Form.useForm<ProposeForm>();
  const code = Form.useWatch('code', form);
  const priorityId = `priority-${opinion.id}`;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {opinion.status === 'submitted' && (
        <Form layout="vertical">
          <Form.Item label={t('assessment.priority')} htmlFor={priorityId} style={{ marginBottom: 8 }}>
            <Select
              id={priorityId}
              allowClear
              style={{ maxWidth: 240 }}
              value={opinion.priority ?? undefined}
              loading={assess.isPending}
              onChange={(p: 'core' | 'secondary' | undefined) =>
                assess.mutate({ opinionId: opinion.id, priority: p ?? null })
              }
              options={(['core', 'secondary'] as const).map((p) => ({
                value: p,
                label: t(`assessment.priorities.${p}`),
              }))}
            />
          </Form.Item>
          {assess.isError && <ErrorAlert error={assess.error} />}
        </Form>
      )}
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
