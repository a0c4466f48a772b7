import { Button, Drawer, Empty, Flex, Input, Select, Skeleton, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';
import { ItemList } from '../../ui/ItemList.tsx';
import { PlainText } from '../../ui/PlainText.tsx';
import type { DocumentKind, Passage, SearchResult } from './api.ts';
import { DOCUMENT_KINDS, usePassage, useSearch } from './api.ts';
import { highlightSegments } from './snippet.ts';

/** Text with the matched ranges marked: <mark> around text nodes, never injected markup. */
export function Highlighted({
  text,
  highlights,
}: {
  text: string;
  highlights: { start: number; end: number }[];
}) {
  return (
    <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 4 }}>
      {highlightSegments(text, highlights).map((s, i) => (s.mark ? <mark key={i}>{s.text}</mark> : s.text))}
    </Typography.Paragraph>
  );
}

function where(t: (key: string, options?: Record<string, unknown>) => string, passage: Passage): string {
  if (passage.page !== null) {
    return t('integration.library.page', { page: passage.page });
  }
  return passage.label ?? t('integration.library.paragraph', { n: passage.ordinal + 1 });
}

/** A passage as a citation opens it, with the passages around it. */
export function PassageDrawer({ passageId, onClose }: { passageId: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const passage = usePassage(passageId);
  return (
    <Drawer
      open={passageId !== null}
      onClose={onClose}
      title={passage.data?.document.title ?? t('integration.library.passage')}
      size="large"
      styles={{ wrapper: { maxWidth: '100vw' } }}
    >
      {passage.isPending && <Skeleton active />}
      {passage.isError && <ErrorAlert error={passage.error} onRetry={() => void passage.refetch()} />}
      {passage.data && (
        <Flex vertical gap={8} data-testid="passage-view">
          <Typography.Text type="secondary">
            {[passage.data.document.source, passage.data.document.issuingBody, passage.data.document.year]
              .filter(Boolean)
              .join(' · ')}
          </Typography.Text>
          {passage.data.before.map((p) => (
            <PlainText key={p.id} text={p.text} type="secondary" />
          ))}
          <div style={{ borderLeft: '3px solid #1677ff', paddingLeft: 8 }}>
            <Tag>{where(t, passage.data.passage)}</Tag>
            <PlainText text={passage.data.passage.text} />
          </div>
          {passage.data.after.map((p) => (
            <PlainText key={p.id} text={p.text} type="secondary" />
          ))}
          <a href={`/api/v1/library/documents/${passage.data.document.id}/file`} download>
            {t('integration.library.download')}
          </a>
        </Flex>
      )}
    </Drawer>
  );
}

/**
 * Full-text search of the library, Chinese and English: the best passages with their matches marked.
 * With `onPick`, each result offers to cite it.
 */
export function LibrarySearch({
  onPick,
  pickLabel,
}: {
  onPick?: (result: SearchResult) => void;
  pickLabel?: string;
}) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [kind, setKind] = useState<DocumentKind | undefined>();
  const [opened, setOpened] = useState<string | null>(null);
  const search = useSearch(q, kind);
  return (
    <Flex vertical gap={8}>
      <Flex gap={8} wrap>
        <Input.Search
          aria-label={t('integration.library.search')}
          placeholder={t('integration.library.searchPlaceholder')}
          allowClear
          enterButton={t('integration.library.searchButton')}
          onSearch={(value) => setQ(value.trim())}
          style={{ flex: '1 1 240px' }}
          maxLength={200}
        />
        <Select
          aria-label={t('integration.library.kind')}
          allowClear
          placeholder={t('integration.library.kind')}
          value={kind}
          onChange={setKind}
          options={DOCUMENT_KINDS.map((k) => ({ value: k, label: t(`integration.library.kinds.${k}`) }))}
          style={{ minWidth: 140 }}
        />
      </Flex>
      {q && search.isPending && <Skeleton active />}
      {search.isError && <ErrorAlert error={search.error} onRetry={() => void search.refetch()} />}
      {search.data && search.data.results.length === 0 && (
        <Empty description={t('integration.library.noResults', { q })} />
      )}
      {search.data && search.data.results.length > 0 && (
        <>
          <Typography.Text type="secondary">
            {t('integration.library.results', { count: search.data.results.length })}
          </Typography.Text>
          <ItemList
            items={search.data.results}
            itemKey={(r) => r.passage.id}
            itemProps={() => ({ 'data-testid': 'search-result' })}
            render={(r) => (
              <Flex vertical gap={4}>
                <Flex gap={6} wrap align="center">
                  <Typography.Text strong>{r.document.title}</Typography.Text>
                  <Tag>{t(`integration.library.kinds.${r.document.kind}`)}</Tag>
                  {r.document.year !== null && <Tag>{r.document.year}</Tag>}
                  <Typography.Text type="secondary">{where(t, r.passage)}</Typography.Text>
                </Flex>
                <Highlighted text={r.snippet.text} highlights={r.snippet.highlights} />
                <Flex gap={8}>
                  <Button size="small" onClick={() => setOpened(r.passage.id)}>
                    {t('integration.library.open')}
                  </Button>
                  {onPick && (
                    <Button size="small" type="primary" onClick={() => onPick(r)}>
                      {pickLabel ?? t('integration.library.cite')}
                    </Button>
                  )}
                </Flex>
              </Flex>
            )}
          />
        </>
      )}
      <PassageDrawer passageId={opened} onClose={() => setOpened(null)} />
    </Flex>
  );
}
