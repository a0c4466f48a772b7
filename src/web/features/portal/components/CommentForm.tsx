import { Alert, Button, Checkbox, Form, Input, Radio, Result, Select, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api.ts';
import type { PublicClause, Receipt } from '../api.ts';
import { useSubmitComment } from '../api.ts';

interface Values {
  clauseStableId: string;
  suggestion: string;
  reasons?: string;
  proposedText?: string;
  identity: 'anonymous' | 'named';
  name?: string;
  contact?: string;
  consent: boolean;
}

const WHOLE = '';

const clauseLabel = (c: PublicClause): string =>
  `${c.number ?? c.heading ?? ''} ${c.text}`.trim().slice(0, 40);

/** The comment form of the template (clause + suggestion + reasons), with consent and the CAPTCHA. */
export function CommentForm(props: {
  roundId: string;
  clauses: PublicClause[];
  target: string | null;
  onTarget: (stableId: string | null) => void;
}) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<Values>();
  const submit = useSubmitComment(props.roundId);
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  const identity = Form.useWatch('identity', form);

  if (receipt) {
    return (
      <Result
        status="success"
        title={t('portal.receipt.title')}
        subTitle={
          <>
            <Typography.Paragraph strong copyable={{ text: receipt.receiptNo }}>
              {t('portal.receipt.number', { receiptNo: receipt.receiptNo })}
            </Typography.Paragraph>
            <Typography.Paragraph>
              {i18n.language === 'en' ? receipt.message.en : receipt.message.zh}
            </Typography.Paragraph>
          </>
        }
        extra={
          <Button
            onClick={() => {
              setReceipt(null);
              form.resetFields();
            }}
          >
            {t('portal.receipt.another')}
          </Button>
        }
      />
    );
  }

  const error = submit.error;
  let errorText: string | null = null;
  if (error instanceof ApiError) {
    const seconds = (error.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds ?? 60;
    errorText =
      error.code === 'rate_limited'
        ? t('portal.errors.rate_limited', { seconds })
        : error.code === 'payload_too_large'
          ? t('portal.errors.payload_too_large')
          : error.code === 'conflict'
            ? t('portal.errors.conflict')
            : error.code === 'validation_failed'
              ? t('portal.errors.validation_failed', { message: error.message })
              : t('portal.errors.other', { message: error.message });
  } else if (error) {
    errorText = t('portal.errors.other', { message: error.message });
  }

  return (
    <Form<Values>
      form={form}
      layout="vertical"
      requiredMark
      initialValues={{ clauseStableId: props.target ?? WHOLE, identity: 'anonymous', consent: false }}
      onValuesChange={(changed: Partial<Values>) => {
        if (changed.clauseStableId !== undefined) {
          props.onTarget(changed.clauseStableId === WHOLE ? null : changed.clauseStableId);
        }
      }}
      onFinish={(values) => {
        submit.mutate(
          {
            clauseStableId: values.clauseStableId === WHOLE ? null : values.clauseStableId,
            suggestion: values.suggestion,
            reasons: values.reasons ?? null,
            proposedText: values.proposedText ?? null,
            anonymous: values.identity === 'anonymous',
            name: values.identity === 'named' ? (values.name ?? null) : null,
            contact: values.identity === 'named' ? (values.contact ?? null) : null,
            consent: values.consent,
          },
          { onSuccess: setReceipt },
        );
      }}
    >
      <Form.Item name="clauseStableId" label={t('portal.form.target')}>
        <Select
          options={[
            { value: WHOLE, label: t('portal.form.whole') },
            ...props.clauses
              .filter((c) => c.kind !== 'heading')
              .map((c) => ({ value: c.stableId, label: clauseLabel(c) })),
          ]}
        />
      </Form.Item>
      <Form.Item
        name="suggestion"
        label={t('portal.form.suggestion')}
        extra={t('portal.form.suggestionHelp')}
        rules={[
          {
            required: true,
            whitespace: true,
            message: t('portal.form.required', { field: t('portal.form.suggestion') }),
          },
        ]}
      >
        <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} maxLength={5000} showCount />
      </Form.Item>
      <Form.Item name="reasons" label={t('portal.form.reasons')}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} maxLength={5000} />
      </Form.Item>
      <Form.Item name="proposedText" label={t('portal.form.proposedText')}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} maxLength={5000} />
      </Form.Item>
      <Form.Item name="identity" label={t('portal.form.identity')}>
        <Radio.Group
          options={[
            { value: 'anonymous', label: t('portal.form.anonymous') },
            { value: 'named', label: t('portal.form.named') },
          ]}
        />
      </Form.Item>
      {identity === 'named' && (
        <>
          <Form.Item
            name="name"
            label={t('portal.form.name')}
            rules={[
              {
                required: true,
                whitespace: true,
                message: t('portal.form.required', { field: t('portal.form.name') }),
              },
            ]}
          >
            <Input maxLength={50} autoComplete="name" />
          </Form.Item>
          <Form.Item
            name="contact"
            label={t('portal.form.contact')}
            extra={t('portal.form.contactHelp')}
            rules={[
              {
                required: true,
                whitespace: true,
                message: t('portal.form.required', { field: t('portal.form.contact') }),
              },
            ]}
          >
            <Input maxLength={100} autoComplete="tel" />
          </Form.Item>
        </>
      )}
      <Alert type="info" showIcon title={t('portal.form.privacy')} style={{ marginBottom: 12 }} />
      <Form.Item
        name="consent"
        valuePropName="checked"
        rules={[
          {
            validator: (_rule, value) =>
              value ? Promise.resolve() : Promise.reject(new Error(t('portal.form.consentRequired'))),
          },
        ]}
      >
        <Checkbox>{t('portal.form.consent')}</Checkbox>
      </Form.Item>
      {errorText && (
        <Alert type="error" showIcon title={errorText} style={{ marginBottom: 12 }} role="alert" />
      )}
      <Button type="primary" htmlType="submit" block size="large" loading={submit.isPending}>
        {submit.isPending ? t('portal.form.captchaWorking') : t('portal.form.submit')}
      </Button>
    </Form>
  );
}
