import { Button, Card, Empty, Flex, Form, Input, Modal, Skeleton, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useMe } from '../features/auth/api.ts';
import { useCreatePlan, usePlans } from '../features/plans/api.ts';
import { ErrorAlert } from '../ui/ErrorAlert.tsx';
import { ItemList } from '../ui/ItemList.tsx';

interface PlanForm {
  name: string;
  description?: string;
}

function CreatePlanButton() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<PlanForm>();
  const create = useCreatePlan();
  const submit = (values: PlanForm) =>
    create.mutate(
      { name: values.name.trim(), description: values.description?.trim() || null },
      {
        onSuccess: (plan) => {
          setOpen(false);
          form.resetFields();
          void navigate(`/plans/${plan.id}`);
        },
      },
    );
  return (
    <>
      <Button type="primary" onClick={() => setOpen(true)}>
        {t('plans.create')}
      </Button>
      <Modal
        open={open}
        title={t('plans.create')}
        okText={t('plans.createSubmit')}
        cancelText={t('common.cancel')}
        confirmLoading={create.isPending}
        onOk={() => form.submit()}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={submit}>
          <Form.Item
            name="name"
            label={t('plans.name')}
            rules={[{ required: true, whitespace: true, message: t('common.required') }]}
          >
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="description" label={t('plans.description')}>
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
          {create.isError && <ErrorAlert error={create.error} />}
        </Form>
      </Modal>
    </>
  );
}

export function PlansPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const plans = usePlans();
  const canCreate = me.data?.roles.some((r) => r === 'organizer' || r === 'admin') ?? false;
  return (
    <Card title={t('plans.title')} extra={canCreate ? <CreatePlanButton /> : null}>
      {plans.isPending && <Skeleton active />}
      {plans.isError && <ErrorAlert error={plans.error} onRetry={() => void plans.refetch()} />}
      {plans.data && plans.data.length === 0 && <Empty description={t('plans.empty')} />}
      {plans.data && plans.data.length > 0 && (
        <ItemList
          items={plans.data}
          itemKey={(plan) => plan.id}
          render={(plan) => (
            <Flex justify="space-between" align="start" gap={12} wrap>
              <Flex vertical gap={2} style={{ minWidth: 0, flex: '1 1 240px' }}>
                <Link to={`/plans/${plan.id}`}>
                  <Typography.Text strong>{plan.name}</Typography.Text>
                </Link>
                <Typography.Text type="secondary">
                  {[
                    plan.description,
                    t('plans.versions', { count: plan.versionCount }),
                    new Date(plan.updatedAt).toLocaleString(i18n.language),
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </Typography.Text>
              </Flex>
              <Link to={`/plans/${plan.id}`} aria-label={`${t('plans.open')} ${plan.name}`}>
                {t('plans.open')}
              </Link>
            </Flex>
          )}
        />
      )}
    </Card>
  );
}
