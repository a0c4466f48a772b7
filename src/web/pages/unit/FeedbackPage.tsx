import {
  Alert,
  Button,
  Card,
  Empty,
  Flex,
  Form,
  Input,
  message,
  Popconfirm,
  Radio,
  Space,
  Spin,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { LetterItem, Rating } from '../../features/feedback/api.ts';
import { useLetter, useRespond } from '../../features/feedback/api.ts';
import { ErrorAlert, errorMessage } from '../../ui/ErrorAlert.tsx';

const RATINGS: Rating[] = ['satisfied', 'basically_satisfied', 'unsatisfied'];
const CODE_COLOR: Record<string, string> = {
  adopted: 'green',
  partially_adopted: 'cyan',
  not_adopted: 'red',
  already_reflected: 'blue',
  explained: 'purple',
  for_reference: 'gold',
  out_of_scope: 'default',
};

function ItemCard({ item, letterId, closed }: { item: LetterItem; letterId: string; closed: boolean }) {
  const { t } = useTranslation();
  const [messageApi, contextHolder] = message.useMessage();
  const respond = useRespond(letterId);
  const [rating, setRating] = useState<Rating | null>(null);
  const [objecting, setObjecting] = useState(false);
  const [reasons, setReasons] = useState('');
  const { opinion, disposition } = item;
  const openObjection = item.objections.some((o) => o.status === 'open');
  const itemClosed =
    closed || (item.objectionOpenUntil !== null && Date.parse(item.objectionOpenUntil) <= Date.now());
  const disabled = itemClosed || !disposition || respond.isPending;
  const ok = (text: string) => () => void messageApi.success(text);
  const fail = (error: unknown) => void messageApi.error(errorMessage(error));

  return (
    <Card
      size="small"
      data-testid="feedback-item"
      title={
        <Space wrap size={4}>
          {opinion.regNo && <Tag>{opinion.regNo}</Tag>}
          {disposition ? (
            <Tag color={CODE_COLOR[disposition.code]}>
              {t(`feedback.code.${disposition.code}`, { defaultValue: disposition.label })}
            </Tag>
          ) : (
            <Tag>{t('feedback.pending')}</Tag>
          )}
        </Space>
      }
    >
      {contextHolder}
      <Flex vertical gap={6}>
        <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }}>
          {opinion.suggestion}
        </Typography.Paragraph>
        {opinion.proposedText && (
          <Typography.Text type="secondary" style={{ whiteSpace: 'pre-wrap' }}>
            {t('reply.form.proposedText')}：{opinion.proposedText}
          </Typography.Text>
        )}
        {disposition && (
          <Alert
            type={
              disposition.code === 'adopted' || disposition.code === 'partially_adopted' ? 'success' : 'info'
            }
            title={t('feedback.disposition')}
            description={
              <Flex vertical gap={2}>
                {disposition.reason && (
                  <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>
                    {t('feedback.reason')}：{disposition.reason}
                  </Typography.Text>
                )}
                {disposition.basis && (
                  <Typography.Text type="secondary">
                    {t('feedback.basisLabel')}：
                    {t(`feedback.basis.${disposition.basis}`, { defaultValue: disposition.basis })}
                  </Typography.Text>
                )}
              </Flex>
            }
          />
        )}
        {item.responses.length > 0 && (
          <Space wrap size={4}>
            {item.responses.map((r) => (
              <Tag key={r.id} color={r.response === 'objected' ? 'red' : 'green'}>
                {r.response === 'rated' && r.rating
                  ? t(`feedback.rating.${r.rating}`)
                  : t(`feedback.response.${r.response}`)}
              </Tag>
            ))}
          </Space>
        )}
        {item.objections.map((o) => (
          <Alert
            key={o.id}
            type="warning"
            title={t('feedback.objection', {
              round: o.roundNo,
              status: t(`feedback.objectionStatus.${o.status}`),
            })}
            description={
              <Flex vertical>
                <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{o.reasons}</Typography.Text>
                {o.reviewNote && (
                  <Typography.Text type="secondary" style={{ whiteSpace: 'pre-wrap' }}>
                    {t('feedback.reviewNote')}：{o.reviewNote}
                  </Typography.Text>
                )}
              </Flex>
            }
          />
        ))}
        {itemClosed ? (
          <Typography.Text type="secondary">{t('feedback.closed')}</Typography.Text>
        ) : (
          disposition && (
            <Flex vertical gap={8}>
              <Space wrap>
                <Button
                  disabled={disabled}
                  onClick={() =>
                    respond.mutate(
                      { opinionId: opinion.id, response: 'confirmed' },
                      { onSuccess: ok(t('feedback.confirmed')), onError: fail },
                    )
                  }
                >
                  {t('feedback.confirm')}
                </Button>
                <Button danger disabled={disabled || openObjection} onClick={() => setObjecting((v) => !v)}>
                  {t('feedback.object')}
                </Button>
              </Space>
              <Form layout="vertical">
                <Form.Item label={t('feedback.rateLabel')} style={{ marginBottom: 8 }}>
                  <Space wrap>
                    <Radio.Group
                      value={rating}
                      disabled={disabled}
                      onChange={(e) => setRating(e.target.value as Rating)}
                      options={RATINGS.map((r) => ({ value: r, label: t(`feedback.rating.${r}`) }))}
                    />
                    <Button
                      disabled={disabled || rating === null}
                      onClick={() =>
                        respond.mutate(
                          { opinionId: opinion.id, response: 'rated', rating },
                          { onSuccess: ok(t('feedback.rated')), onError: fail },
                        )
                      }
                    >
                      {t('feedback.rate')}
                    </Button>
                  </Space>
                </Form.Item>
                {objecting && (
                  <>
                    <Form.Item
                      label={t('feedback.objectReasons')}
                      required
                      htmlFor={`objection-${opinion.id}`}
                    >
                      <Input.TextArea
                        id={`objection-${opinion.id}`}
                        value={reasons}
                        onChange={(e) => setReasons(e.target.value)}
                        autoSize={{ minRows: 3 }}
                        maxLength={10000}
                      />
                    </Form.Item>
                    <Popconfirm
                      title={t('feedback.objectConfirm')}
                      okText={t('feedback.objectSubmit')}
                      cancelText={t('reply.cancel')}
                      onConfirm={() =>
                        respond.mutate(
                          { opinionId: opinion.id, response: 'objected', reasons: reasons.trim() },
                          {
                            onSuccess: () => {
                              setObjecting(false);
                              setReasons('');
                              void messageApi.success(t('feedback.objected'));
                            },
                            onError: fail,
                          },
                        )
                      }
                    >
                      <Button type="primary" danger disabled={disabled || reasons.trim() === ''}>
                        {t('feedback.objectSubmit')}
                      </Button>
                    </Popconfirm>
                  </>
                )}
              </Form>
            </Flex>
          )
        )}
      </Flex>
    </Card>
  );
}

/** A unit's feedback letter: each opinion's disposition, to confirm, rate or object to. */
export function FeedbackPage() {
  const { t } = useTranslation();
  const { letterId } = useParams();
  const letter = useLetter(letterId);
  if (letter.isPending) {
    return (
      <Spin description={t('common.loading')}>
        <div style={{ minHeight: 80 }} />
      </Spin>
    );
  }
  if (letter.isError) {
    return <ErrorAlert error={letter.error} onRetry={() => void letter.refetch()} />;
  }
  const data = letter.data;
  const closed = data.objectionDeadline !== null && Date.parse(data.objectionDeadline) <= Date.now();
  return (
    <Flex vertical gap={12} style={{ maxWidth: 900, margin: '0 auto' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('feedback.title')}
      </Typography.Title>
      <Space wrap>
        {data.sentAt && (
          <Typography.Text type="secondary">
            {t('feedback.sentAt', { time: new Date(data.sentAt).toLocaleString() })}
          </Typography.Text>
        )}
        {data.objectionDeadline && (
          <Tag color={closed ? 'default' : 'orange'}>
            {t('feedback.objectionDeadline', { time: new Date(data.objectionDeadline).toLocaleString() })}
          </Tag>
        )}
      </Space>
      {data.items.length === 0 ? (
        <Empty description={t('feedback.empty')} />
      ) : (
        data.items.map((item) => (
          <ItemCard key={item.opinion.id} item={item} letterId={data.id} closed={closed} />
        ))
      )}
      <Link to="/inbox">{t('reply.back')}</Link>
    </Flex>
  );
}
