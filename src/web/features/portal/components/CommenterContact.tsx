import { Button, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Commenter } from '../api.ts';
import { fetchCommenter } from '../api.ts';

/** A named commenter's name and contact, fetched only when a moderator asks (the look is recorded). */
export function CommenterContact({ commentId }: { commentId: string }) {
  const { t } = useTranslation();
  const [commenter, setCommenter] = useState<Commenter | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  if (commenter) {
    return (
      <Typography.Text data-testid="commenter-contact">
        {commenter.name ?? ''} · {commenter.contact ?? ''}
      </Typography.Text>
    );
  }
  return (
    <>
      <Button
        size="small"
        type="link"
        loading={loading}
        onClick={() => {
          setLoading(true);
          setError(null);
          fetchCommenter(commentId)
            .then(setCommenter)
            .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)))
            .finally(() => setLoading(false));
        }}
      >
        {t('portal.moderation.showContact')}
      </Button>
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
    </>
  );
}
