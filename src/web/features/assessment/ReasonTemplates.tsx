import {
  Button,
  Empty,
  Flex,
  Form,
  Input,
  List,
  Modal,
  Popconfirm,
  Radio,
  Select,
  Skeleton,
  Tag,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { requiresReason } from '../../../domain/disposition-rules.ts';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';
import { PlainText } from '../../ui/PlainText.tsx';
import type { Basis, DispositionCode } from './api.ts';
import {
  basisCodes,
  dispositionCodes,
  useCreateReasonTemplate,
  useDeleteReasonTemplate,
  useReasonTemplates,
} from './api.ts';

interface TemplateForm {
  code: DispositionCode;
  basis?: Basis;
  text: string;
  scope: 'plan' | 'global';
}

/** Keeps the reason templates (理由模板) of a plan and the global ones: list, add, delete. */
export function ReasonTemplatesModal({
  open,
  planId,
  onClose,
}: {
  open: boolean;
  planId: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const templates = useReasonTemplates(planId);
  const create = useCreateReasonTemplate();
  const remove = useDeleteReasonTemplate();
  const [form] = Form.useForm<TemplateForm>();
  const code = Form.useWatch('code', form);
  return (
    <Modal
      open={open}
      title={t('assessment.templates.title')}
      onCancel={onClose}
      footer={<Button onClick={onClose}>{t('assessment.templates.close')}</Button>}
      width={720}
      destroyOnHidden
    >
      {templates.isPending && <Skeleton active />}
      {templates.isError && <ErrorAlert error={templates.error} onRetry={() => void templates.refetch()} />}
      {templates.data && (
        <List
          size="small"
          data-testid="reason-templates"
          locale={{ emptyText: <Empty description={t('assessment.templates.empty')} /> }}
          dataSource={templates.data}
          renderItem={(tpl) => (
            <List.Item
              actions={[
                <Popconfirm
                  key="delete"
                  title={t('assessment.templates.deleteConfirm')}
                  okText={t('common.confirm')}
                  cancelText={t('common.cancel')}
                  onConfirm={() => remove.mutate(tpl.id)}
                >
                  <Button size="small" danger aria-label={`${t('assessment.templates.delete')} ${tpl.text}`}>
                    {t('assessment.templates.delete')}
                  </Button>
                </Popconfirm>,
              ]}
            >
              <List.Item.Meta
                title={
                  <Flex gap={4} wrap>
                    <Tag color="blue">{t(`assessment.codes.${tpl.code}`)}</Tag>
                    {tpl.basis && <Tag>{t(`assessment.bases.${tpl.basis}`)}</Tag>}
                    <Tag>{t(`assessment.templates.scopes.${tpl.planId ? 'plan' : 'global'}`)}</Tag>
                  </Flex>
                }
                description={<PlainText text={tpl.text} />}
              />
            </List.Item>
          )}
        />
      )}
      {remove.isError && <ErrorAlert error={remove.error} />}
      <Form<TemplateForm>
        form={form}
        layout="vertical"
        initialValues={{ scope: 'plan' }}
        onFinish={(v) =>
          create.mutate(
            {
              planId: v.scope === 'plan' ? planId : null,
              code: v.code,
              basis: v.basis ?? null,
              text: v.text.trim(),
            },
            { onSuccess: () => form.resetFields() },
          )
        }
        style={{ marginTop: 16 }}
      >
        <Flex gap={8} wrap>
          <Form.Item
            name="code"
            label={t('assessment.code')}
            rules={[{ required: true, message: t('common.required') }]}
            style={{ minWidth: 200, flex: 1 }}
          >
            <Select
              options={dispositionCodes.map((c) => ({ value: c, label: t(`assessment.codes.${c}`) }))}
            />
          </Form.Item>
          <Form.Item
            name="basis"
            label={t('assessment.basis')}
            rules={[{ required: code !== undefined && requiresReason(code), message: t('common.required') }]}
            style={{ minWidth: 200, flex: 1 }}
          >
            <Select
              allowClear
              options={basisCodes.map((b) => ({ value: b, label: t(`assessment.bases.${b}`) }))}
            />
          </Form.Item>
        </Flex>
        <Form.Item
          name="text"
          label={t('assessment.templates.text')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input.TextArea rows={2} maxLength={5000} />
        </Form.Item>
        <Form.Item name="scope" label={t('assessment.templates.scope')}>
          <Radio.Group
            options={(['plan', 'global'] as const).map((s) => ({
              value: s,
              label: t(`assessment.templates.scopes.${s}`),
            }))}
          />
        </Form.Item>
        {create.isError && <ErrorAlert error={create.error} />}
        <Button htmlType="submit" type="primary" loading={create.isPending}>
          {t('assessment.templates.add')}
        </Button>
      </Form>
    </Modal>
  );
}
