import {
  Button,
  Checkbox,
  Empty,
  Flex,
  Form,
  Input,
  InputNumber,
  Select,
  Skeleton,
  Tag,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';
import { linesOf } from '../conflicts/board.ts';
import { EXPERT_FIELDS, useCreateConsultation, useRoster } from './api.ts';

interface Values {
  title: string;
  questions: string;
  minAnswers: number;
}

/** Sends a conflict to experts picked by field from the roster, with questions and a minimum of answers. */
export function ConsultationForm({
  roundId,
  conflictId,
  defaultTitle,
  onDone,
}: {
  roundId: string;
  conflictId: string;
  defaultTitle: string;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [field, setField] = useState<string | undefined>();
  const [picked, setPicked] = useState<string[]>([]);
  const roster = useRoster(field);
  const create = useCreateConsultation(roundId);
  const [form] = Form.useForm<Values>();
  const experts = useMemo(() => (roster.data ?? []).filter((e) => e.status === 'active'), [roster.data]);
  const fieldLabel = (f: string) => t(`integration.experts.fields.${f}`, { defaultValue: f });
  const submit = (values: Values) =>
    create.mutate(
      {
        title: values.title.trim(),
        questions: linesOf(values.questions),
        expertIds: picked,
        conflictId,
        minAnswers: values.minAnswers,
      },
      { onSuccess: onDone },
    );
  return (
    <Form
      form={form}
      layout="vertical"
      onFinish={submit}
      initialValues={{
        title: defaultTitle,
        questions: t('integration.experts.defaultQuestion'),
        minAnswers: 2,
      }}
    >
      <Form.Item
        name="title"
        label={t('integration.experts.consultationTitle')}
        rules={[{ required: true, whitespace: true, message: t('common.required') }]}
      >
        <Input maxLength={300} />
      </Form.Item>
      <Form.Item
        name="questions"
        label={t('integration.experts.questions')}
        extra={t('integration.experts.questionsHint')}
        rules={[{ required: true, whitespace: true, message: t('common.required') }]}
      >
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} />
      </Form.Item>
      <Form.Item label={t('integration.experts.field')} htmlFor="expert-field">
        <Select
          id="expert-field"
          allowClear
          placeholder={t('integration.experts.allFields')}
          value={field}
          onChange={setField}
          options={EXPERT_FIELDS.map((f) => ({ value: f, label: fieldLabel(f) }))}
          style={{ maxWidth: 240 }}
        />
      </Form.Item>
      <Form.Item
        label={t('integration.experts.pick')}
        required
        validateStatus={create.isError && picked.length === 0 ? 'error' : undefined}
      >
        {roster.isPending && <Skeleton active paragraph={{ rows: 2 }} />}
        {roster.isError && <ErrorAlert error={roster.error} onRetry={() => void roster.refetch()} />}
        {roster.data && experts.length === 0 && <Empty description={t('integration.experts.noExperts')} />}
        <Checkbox.Group value={picked} onChange={(v) => setPicked(v)} style={{ width: '100%' }}>
          <Flex vertical gap={6}>
            {experts.map((e) => (
              <Checkbox key={e.id} value={e.id} aria-label={e.name}>
                <Flex gap={6} wrap align="center">
                  <Typography.Text>{e.name}</Typography.Text>
                  {e.title && <Typography.Text type="secondary">{e.title}</Typography.Text>}
                  {e.organisation && <Typography.Text type="secondary">{e.organisation}</Typography.Text>}
                  {e.fields.map((f) => (
                    <Tag key={f}>{fieldLabel(f)}</Tag>
                  ))}
                </Flex>
              </Checkbox>
            ))}
          </Flex>
        </Checkbox.Group>
      </Form.Item>
      <Form.Item name="minAnswers" label={t('integration.experts.minAnswers')}>
        <InputNumber min={1} max={Math.max(1, picked.length)} precision={0} />
      </Form.Item>
      {create.isError && <ErrorAlert error={create.error} />}
      <Button type="primary" htmlType="submit" loading={create.isPending} disabled={picked.length === 0}>
        {t('integration.experts.send', { count: picked.length })}
      </Button>
    </Form>
  );
}
