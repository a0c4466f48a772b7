import { Button, Empty, Flex, Modal, Skeleton, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';
import { ItemList } from '../../ui/ItemList.tsx';
import { PlainText } from '../../ui/PlainText.tsx';
import type { CitingKind } from './api.ts';
import { useCitations, useCite } from './api.ts';
import { LibrarySearch, PassageDrawer } from './Search.tsx';

/**
 * The library items an opinion, disposition, conflict or calculation sheet cites, each opening the cited
 * passage, and a search to cite another.
 */
export function Citations({
  fromKind,
  fromId,
  canCite,
}: {
  fromKind: CitingKind;
  fromId: string;
  canCite: boolean;
}) {
  const { t } = useTranslation();
  const citations = useCitations(fromKind, fromId);
  const cite = useCite(fromKind, fromId);
  const [picking, setPicking] = useState(false);
  const [opened, setOpened] = useState<string | null>(null);
  return (
    <Flex vertical gap={6} data-testid={`citations-${fromKind}`}>
      <Flex gap={8} align="center" justify="space-between" wrap>
        <Typography.Text strong>{t('integration.library.citations')}</Typography.Text>
        {canCite && (
          <Button size="small" onClick={() => setPicking(true)}>
            {t('integration.library.addCitation')}
          </Button>
        )}
      </Flex>
      {citations.isPending && <Skeleton active paragraph={{ rows: 1 }} />}
      {citations.isError && <ErrorAlert error={citations.error} onRetry={() => void citations.refetch()} />}
      {citations.data?.length === 0 && (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('integration.library.noCitations')} />
      )}
      {citations.data && citations.data.length > 0 && (
        <ItemList
          items={citations.data}
          itemKey={(c) => c.id}
          render={(c) => (
            <Flex vertical gap={2}>
              <Flex gap={6} wrap align="center">
                {c.document && <Typography.Text>{c.document.title}</Typography.Text>}
                {typeof c.document?.year === 'number' && <Tag>{c.document.year}</Tag>}
                {c.indicator && (
                  <Tag color="geekblue">
                    {c.indicator.name} {c.indicator.year}: {c.indicator.value}
                    {c.indicator.unit ?? ''}
                  </Tag>
                )}
                {c.passageId && (
                  <Button size="small" type="link" onClick={() => setOpened(c.passageId)}>
                    {t('integration.library.openPassage')}
                  </Button>
                )}
              </Flex>
              {c.quote && <PlainText text={`“${c.quote}”`} type="secondary" />}
            </Flex>
          )}
        />
      )}
      {cite.isError && <ErrorAlert error={cite.error} />}
      <Modal
        open={picking}
        onCancel={() => setPicking(false)}
        footer={null}
        title={t('integration.library.addCitation')}
        width={760}
        destroyOnHidden
      >
        <LibrarySearch
          onPick={(r) => cite.mutate({ passageId: r.passage.id }, { onSuccess: () => setPicking(false) })}
        />
      </Modal>
      <PassageDrawer passageId={opened} onClose={() => setOpened(null)} />
    </Flex>
  );
}
