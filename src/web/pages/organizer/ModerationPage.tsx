import {
  Alert,
  Button,
  Card,
  Empty,
  Flex,
  Input,
  List,
  Modal,
  Segmented,
  Space,
  Spin,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { CommenterContact } from '../../features/portal/components/CommenterContact.tsx';
import type { CommentStatus, QueueComment } from '../../features/portal/api.ts';
import {
  useModerate,
  useModerationQueue,
  usePortalSettings,
  usePublishSummary,
  useRedact,
  useSetModeration,
} from '../../features/portal/api.ts';

type Dialog =
  | { kind: 'moderate'; comment: QueueComment; action: 'reject' | 'hide' | 'restore' }
  | { kind: 'redact'; comment: QueueComment };

const STATUSES: CommentStatus[] = ['pending', 'published', 'rejected', 'hidden'];

/** The organizer's moderation queue of a public round: approve, reject, hide, restore, redact, publish. */
export function ModerationPage() {
  const { roundId = '' } = useParams();
  const { t } = useTranslation();
  const [status, setStatus] = useState<CommentStatus>('pending');
  const settings = usePortalSettings(roundId);
  const queue = useModerationQueue(roundId, status);
  const setModeration = useSetModeration(roundId);
  const moderate = useModerate(roundId);
  const redact = useRedact(roundId);
  const publish = usePublishSummary(roundId);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [reason, setReason] = useState('');
  const [spans, setSpans] = useState('');

  const failure = [
    settings.error,
    queue.error,
    setModeration.error,
    moderate.error,
    redact.error,
    publish.error,
  ].find((e) => e);
  const close = () => {
    setDialog(null);
    setReason('');
    setSpans('');
  };
  const confirm = () => {
    if (!dialog) {
      return;
    }
    if (dialog.kind === 'redact') {
      redact.mutate(
        {
          id: dialog.comment.id,
          reason,
          spans: spans
            .split('\n')
            .map((s) => s.trim())
            .filter(Boolean),
        },
        { onSuccess: close },
      );
    } else {
      moderate.mutate({ id: dialog.comment.id, action: dialog.action, reason }, { onSuccess: close });
    }
  };

  return (
    <Card
      title={t('portal.moderation.title')}
      extra={
        <Space wrap>
          <Link to={`/p/${roundId}`} target="_blank">
            {t('portal.moderation.publicPage')}
          </Link>
          <Link to={`/rounds/${roundId}`}>{t('portal.moderation.backToRound')}</Link>
        </Space>
      }
    >
      {failure && <Alert type="error" showIcon title={failure.message} style={{ marginBottom: 12 }} />}
      {settings.isPending ? (
        <Spin />
      ) : settings.data ? (
        <Flex gap={12} wrap align="center" style={{ marginBottom: 16 }}>
          <Typography.Text>{t('portal.moderation.mode')}</Typography.Text>
          <Segmented
            value={settings.data.moderation}
            options={[
              { value: 'pre', label: t('portal.moderation.pre') },
              { value: 'post', label: t('portal.moderation.post') },
            ]}
            onChange={(value) => setModeration.mutate(value as 'pre' | 'post')}
          />
          <Typography.Text type="secondary">
            {t('portal.moderation.counts', settings.data.counts)}
          </Typography.Text>
          <Button onClick={() => publish.mutate(undefined)} loading={publish.isPending}>
            {t('portal.moderation.publish')}
          </Button>
          {settings.data.summaryPublishedAt && (
            <Tag color="green">
              {t('portal.moderation.published', { at: settings.data.summaryPublishedAt.slice(0, 16) })}
            </Tag>
          )}
        </Flex>
      ) : null}
      <Segmented
        value={status}
        options={STATUSES.map((s) => ({ value: s, label: t(`portal.moderation.statuses.${s}`) }))}
        onChange={(value) => setStatus(value)}
        style={{ marginBottom: 12 }}
      />
      {queue.isPending ? (
        <Spin />
      ) : (queue.data?.items.length ?? 0) === 0 ? (
        <Empty description={t('portal.moderation.empty')} />
      ) : (
        <List
          dataSource={queue.data?.items ?? []}
          renderItem={(item) => (
            <List.Item
              key={item.id}
              actions={[
                item.status === 'pending' && (
                  <Button
                    key="approve"
                    type="primary"
                    size="small"
                    onClick={() => moderate.mutate({ id: item.id, action: 'approve', reason: null })}
                  >
                    {t('portal.moderation.approve')}
                  </Button>
                ),
                item.status === 'pending' && (
                  <Button
                    key="reject"
                    size="small"
                    danger
                    onClick={() => setDialog({ kind: 'moderate', comment: item, action: 'reject' })}
                  >
                    {t('portal.moderation.reject')}
                  </Button>
                ),
                item.status === 'published' && (
                  <Button
                    key="hide"
                    size="small"
                    onClick={() => setDialog({ kind: 'moderate', comment: item, action: 'hide' })}
                  >
                    {t('portal.moderation.hide')}
                  </Button>
                ),
                item.status === 'hidden' && (
                  <Button
                    key="restore"
                    size="small"
                    onClick={() => setDialog({ kind: 'moderate', comment: item, action: 'restore' })}
                  >
                    {t('portal.moderation.restore')}
                  </Button>
                ),
                <Button
                  key="redact"
                  size="small"
                  onClick={() => setDialog({ kind: 'redact', comment: item })}
                >
                  {t('portal.moderation.redact')}
                </Button>,
              ].filter(Boolean)}
            >
              <Space orientation="vertical" size={4} style={{ width: '100%' }}>
                <Space wrap>
                  <Typography.Text type="secondary">{item.receiptNo}</Typography.Text>
                  <Tag>{item.named ? t('portal.moderation.named') : t('portal.moderation.anonymous')}</Tag>
                  {item.named && <CommenterContact commentId={item.id} />}
                  {item.personalData && <Tag color="red">{t('portal.moderation.personalData')}</Tag>}
                  {item.redacted && <Tag color="orange">{t('portal.moderation.redacted')}</Tag>}
                  {item.moderationReason && (
                    <Typography.Text type="secondary">{item.moderationReason}</Typography.Text>
                  )}
                </Space>
                <Typography.Paragraph style={{ marginBottom: 0, whiteSpace: 'pre-wrap' }}>
                  {item.suggestion}
                </Typography.Paragraph>
                {item.reasons && <Typography.Paragraph type="secondary">{item.reasons}</Typography.Paragraph>}
              </Space>
            </List.Item>
          )}
        />
      )}
      <Modal
        open={dialog !== null}
        title={
          dialog?.kind === 'redact'
            ? t('portal.moderation.redact')
            : dialog
              ? t(`portal.moderation.${dialog.action}`)
              : ''
        }
        okText={t('portal.moderation.confirm')}
        okButtonProps={{ disabled: reason.trim() === '', loading: moderate.isPending || redact.isPending }}
        onOk={confirm}
        onCancel={close}
      >
        <Typography.Paragraph>{dialog?.comment.suggestion}</Typography.Paragraph>
        <Input.TextArea
          aria-label={
            dialog?.kind === 'redact' ? t('portal.moderation.redactReason') : t('portal.moderation.reason')
          }
          placeholder={
            dialog?.kind === 'redact' ? t('portal.moderation.redactReason') : t('portal.moderation.reason')
          }
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          maxLength={1000}
        />
        {dialog?.kind === 'redact' && (
          <Input.TextArea
            style={{ marginTop: 8 }}
            aria-label={t('portal.moderation.spans')}
            placeholder={t('portal.moderation.spans')}
            value={spans}
            onChange={(e) => setSpans(e.target.value)}
          />
        )}
      </Modal>
    </Card>
  );
}
