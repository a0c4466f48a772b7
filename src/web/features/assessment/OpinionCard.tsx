import { Card, Flex, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { PlainText } from '../../ui/PlainText.tsx';
import type { Opinion } from './api.ts';

/** One opinion, its text shown as text: suggestion, reasons, proposed replacement. */
export function OpinionCard({
  opinion,
  unitName,
  extra,
}: {
  opinion: Opinion;
  unitName?: string;
  extra?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Card
      size="small"
      title={
        <Flex gap={4} wrap align="center">
          <Typography.Text strong>{opinion.regNo ?? '—'}</Typography.Text>
          {unitName && <Typography.Text type="secondary">{unitName}</Typography.Text>}
        </Flex>
      }
      extra={extra}
      style={{ marginBottom: 8 }}
    >
      <Flex gap={4} wrap style={{ marginBottom: 6 }}>
        <Tag>{t(`assessment.kinds.${opinion.kind}`)}</Tag>
        {opinion.blocking && <Tag color="red">{t('assessment.blocking')}</Tag>}
        {opinion.level && (
          <Tag color="blue">{t(`assessment.levels.${opinion.level}`, { defaultValue: opinion.level })}</Tag>
        )}
        {opinion.status !== 'submitted' && <Tag>{t(`assessment.statuses.${opinion.status}`)}</Tag>}
        {opinion.quality.flags.map((flag) => (
          <Tag key={flag} color="orange">
            {t(`assessment.flags.${flag}`, { defaultValue: flag })}
          </Tag>
        ))}
      </Flex>
      {opinion.quote && <PlainText text={`“${opinion.quote}”`} type="secondary" />}
      <PlainText text={opinion.suggestion} />
      {opinion.reasons && (
        <>
          <Typography.Text type="secondary">{t('assessment.reasons')}</Typography.Text>
          <PlainText text={opinion.reasons} />
        </>
      )}
      {opinion.proposedText && (
        <>
          <Typography.Text type="secondary">{t('assessment.proposedText')}</Typography.Text>
          <PlainText text={opinion.proposedText} />
        </>
      )}
    </Card>
  );
}
