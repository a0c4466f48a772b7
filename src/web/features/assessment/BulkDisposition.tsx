import { Alert, Button, Flex, Form, Input, Modal, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { requiresReason } from '../../../domain/disposition-rules.ts';
import { ApiError } from '../../api.ts';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';
import type { Basis, DispositionCode } from './api.ts';
import { basisCodes, dispositionCodes, useProposeBulk, useReasonTemplates } from './api.ts';
import type { BulkSummary } from './bulk.ts';
import { needsConfirmation, summarizeBulk } from './bulk.ts';

interface BulkForm {
  code: DispositionCode;
  templateId?: string;
  basis?: Basis;
  reason?: string;
}

type Picked = { id: string; regNo: string | null };

/**
 * Proposes one disposition, with a reason typed or taken from a template, for the picked opinions. Many
 * opinions are confirmed first; opinions the server refuses are named, and the rest can be sent again.
 */
export function BulkDispositionModal({
  open,
  roundId,
  planId,
  picked,
  onClose,
  onApplied,
}: {
  open: boolean;
  roundId: string;
  planId: string;
  picked: Picked[];
  onClose: () => void;
  /** The ids that now carry the proposal (to clear them from the selection). */
  onApplied: (ids: string[]) => void;
}) {
  const { t } = useTranslation();
  const templates = useReasonTemplates(planId);
  const bulk = useProposeBulk(roundId);
  const [form] = Form.useForm<BulkForm>();
  const code = Form.useWatch('code', form);
  const [summary, setSummary] = useState<BulkSummary | null>(null);
  const [confirming, setConfirming] = useState<BulkForm | null>(null);
  const [targets, setTargets] = useState<Picked[] | null>(null);
  // The title keeps the count the modal was opened with; the selection empties as proposals land.
  const [opened] = useState(picked.length);
  const current = targets ?? picked;

  const submit = (values: BulkForm, ids: Picked[]) => {
    setConfirming(null);
    setSummary(null);
    bulk.mutate(
      {
        opinionIds: ids.map((p) => p.id),
        code: values.code,
        templateId: values.templateId ?? null,
        basis: values.basis ?? null,
        reason: values.reason?.trim() || null,
      },
      {
        onSuccess: (created) => {
          const result = summarizeBulk(ids, { ok: true, created });
          setSummary(result);
          setTargets([]);
          onApplied(created.map((d) => d.opinionId));
        },
        onError: (error) => {
          const details = error instanceof ApiError ? error.details : undefined;
          const result = summarizeBulk(ids, { ok: false, error: { message: error.message, details } });
          setSummary(result);
          if (result.retryIds.length > 0 || result.failed.length > 0) {
            const retry = new Set(result.retryIds);
            setTargets(ids.filter((p) => retry.has(p.id)));
          }
        },
      },
    );
  };

  const close = () => {
    setSummary(null);
    setConfirming(null);
    setTargets(null);
    bulk.reset();
    form.resetFields();
    onClose();
  };

  const codeTemplates = (templates.data ?? []).filter((tpl) => tpl.code === code);
  return (
    <Modal
      open={open}
      title={t('assessment.bulk.title', { count: opened })}
      onCancel={close}
      footer={null}
      width={640}
      destroyOnHidden
    >
      <Form<BulkForm>
        form={form}
        layout="vertical"
        onFinish={(values) =>
          needsConfirmation(current.length) ? setConfirming(values) : submit(values, current)
        }
      >
        <Form.Item
          name="code"
          label={t('assessment.code')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Select
            options={dispositionCodes.map((c) => ({ value: c, label: t(`assessment.codes.${c}`) }))}
            onChange={() => form.setFieldsValue({ templateId: undefined })}
          />
        </Form.Item>
        <Form.Item name="templateId" label={t('assessment.template')}>
          <Select
            allowClear
            disabled={codeTemplates.length === 0}
            placeholder={code && codeTemplates.length === 0 ? t('assessment.bulk.noTemplates') : undefined}
            options={codeTemplates.map((tpl) => ({ value: tpl.id, label: tpl.text }))}
            onChange={(id: string | undefined) => {
              const tpl = codeTemplates.find((x) => x.id === id);
              if (tpl) {
                form.setFieldsValue({ reason: tpl.text, ...(tpl.basis ? { basis: tpl.basis } : {}) });
              }
            }}
          />
        </Form.Item>
        <Form.Item
          name="basis"
          label={t('assessment.basis')}
          rules={[{ required: code !== undefined && requiresReason(code), message: t('common.required') }]}
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
              required: code !== undefined && requiresReason(code),
              whitespace: true,
              message: t('assessment.reasonRequired'),
            },
          ]}
        >
          <Input.TextArea rows={3} maxLength={5000} />
        </Form.Item>
        {confirming ? (
          <Alert
            type="warning"
            showIcon
            role="alertdialog"
            title={t('assessment.bulk.confirm', {
              count: current.length,
              code: t(`assessment.codes.${confirming.code}`),
            })}
            action={
              <Space orientation="vertical">
                <Button size="small" type="primary" danger onClick={() => submit(confirming, current)}>
                  {t('assessment.bulk.apply')}
                </Button>
                <Button size="small" onClick={() => setConfirming(null)}>
                  {t('common.cancel')}
                </Button>
              </Space>
            }
          />
        ) : (
          <Button type="primary" htmlType="submit" loading={bulk.isPending} disabled={current.length === 0}>
            {t('assessment.bulk.submit', { count: current.length })}
          </Button>
        )}
      </Form>
      {summary && <BulkResult summary={summary} />}
      {summary && summary.retryIds.length > 0 && (
        <Typography.Paragraph style={{ marginTop: 8 }}>
          {t('assessment.bulk.retryHint', { count: summary.retryIds.length })}
        </Typography.Paragraph>
      )}
      {bulk.isError && summary === null && <ErrorAlert error={bulk.error} />}
    </Modal>
  );
}

function BulkResult({ summary }: { summary: BulkSummary }) {
  const { t } = useTranslation();
  return (
    <Flex vertical gap={8} style={{ marginTop: 12 }} data-testid="bulk-result">
      {summary.applied > 0 && (
        <Alert type="success" showIcon title={t('assessment.bulk.applied', { count: summary.applied })} />
      )}
      {summary.failed.length > 0 && (
        <Alert
          type="warning"
          showIcon
          title={t('assessment.bulk.failed', { count: summary.failed.length })}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 20 }} data-testid="bulk-failures">
              {summary.failed.map((f) => (
                <li key={f.id}>{f.regNo ?? t('assessment.bulk.unnumbered')}</li>
              ))}
            </ul>
          }
        />
      )}
      {summary.error && <Alert type="error" showIcon title={t('common.error', { message: summary.error })} />}
    </Flex>
  );
}
