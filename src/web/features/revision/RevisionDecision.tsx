import { Button, Form, Input, Modal, Popconfirm, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';
import { useRevisionStep } from './api.ts';

/**
 * A leader's decision on a submitted revision: approve (confirmed), or return it with a note (the dialog
 * asking for the note is the confirmation). The server's refusal is shown as it says it.
 */
export function RevisionDecision({
  revisionId,
  name,
  onDone,
}: {
  revisionId: string;
  /** What the buttons act on, for their accessible names when several are on one page. */
  name?: string;
  onDone?: () => void;
}) {
  const { t } = useTranslation();
  const step = useRevisionStep(revisionId);
  const [returning, setReturning] = useState(false);
  const [form] = Form.useForm<{ note: string }>();
  const named = (label: string) => (name ? `${label} ${name}` : undefined);
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Popconfirm
          title={t('leader.revision.confirmApprove')}
          okText={t('leader.revision.approve')}
          cancelText={t('common.cancel')}
          onConfirm={() => step.mutate({ action: 'approve' }, { onSuccess: () => onDone?.() })}
        >
          <Button
            type="primary"
            loading={step.isPending && step.variables?.action === 'approve'}
            aria-label={named(t('leader.revision.approve'))}
          >
            {t('leader.revision.approve')}
          </Button>
        </Popconfirm>
        <Button
          danger
          onClick={() => {
            step.reset();
            setReturning(true);
          }}
          aria-label={named(t('leader.revision.return'))}
        >
          {t('leader.revision.return')}
        </Button>
      </Space>
      {step.isError && !returning && <ErrorAlert error={step.error} />}
      <Modal
        open={returning}
        title={t('leader.revision.returnTitle')}
        okText={t('leader.revision.confirmReturn')}
        okButtonProps={{ danger: true }}
        cancelText={t('common.cancel')}
        confirmLoading={step.isPending}
        onOk={() => form.submit()}
        onCancel={() => setReturning(false)}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          onFinish={(values) =>
            step.mutate(
              { action: 'return', note: values.note.trim() },
              {
                onSuccess: () => {
                  setReturning(false);
                  onDone?.();
                },
              },
            )
          }
        >
          <Form.Item
            name="note"
            label={t('leader.revision.returnNote')}
            rules={[{ required: true, whitespace: true, message: t('leader.revision.returnNoteRequired') }]}
          >
            <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} maxLength={5000} />
          </Form.Item>
          {step.isError && <ErrorAlert error={step.error} />}
        </Form>
      </Modal>
    </Space>
  );
}
