import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { RevisionChange } from './api.ts';

/** One tracked change: the old text struck through, the new text underlined, its reason and opinions. */
export function ChangeView({ change }: { change: RevisionChange }) {
  const { t } = useTranslation();
  return (
    <div style={{ marginTop: 8 }}>
      {change.oldText !== null && (
        <Typography.Paragraph delete type="danger" style={{ whiteSpace: 'pre-wrap', marginBottom: 4 }}>
          {change.oldText}
        </Typography.Paragraph>
      )}
      {change.newText !== null && (
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 4, color: '#237804' }}>
          <ins>{change.newText}</ins>
        </Typography.Paragraph>
      )}
      {change.reason && (
        <Typography.Text type="secondary">
          {t('revision.reasonIs', { reason: change.reason })}
        </Typography.Text>
      )}
      {change.opinionIds.length > 0 && (
        <Typography.Text type="secondary" style={{ display: 'block' }}>
          {t('revision.linkedOpinions', { count: change.opinionIds.length })}
        </Typography.Text>
      )}
    </div>
  );
}
