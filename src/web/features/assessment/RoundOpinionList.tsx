import { Button, Skeleton } from 'antd';
import type { ReactNode } from 'react';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';
import type { Opinion, OpinionFilter } from './api.ts';
import { useRoundOpinions } from './api.ts';
import { OpinionCard } from './OpinionCard.tsx';

/**
 * One round's opinions matching `filter` as cards, a page at a time: the next page loads only when asked
 * for, so a clause or a filter with thousands of opinions never loads them all at once.
 */
export function RoundOpinionList({
  roundId,
  filter,
  moreLabel,
  unitName,
  extra,
}: {
  roundId: string;
  filter: OpinionFilter;
  moreLabel: string;
  unitName?: (opinion: Opinion) => string | undefined;
  extra?: (opinion: Opinion) => ReactNode;
}) {
  const opinions = useRoundOpinions(roundId, filter);
  if (opinions.isPending) {
    return <Skeleton active />;
  }
  if (opinions.isError) {
    return <ErrorAlert error={opinions.error} onRetry={() => void opinions.refetch()} />;
  }
  return (
    <div data-testid="round-opinions">
      {opinions.data.pages.flatMap((page) =>
        page.items.map((o) => (
          <OpinionCard key={o.id} opinion={o} unitName={unitName?.(o)} extra={extra?.(o)} />
        )),
      )}
      {opinions.hasNextPage && (
        <Button
          block
          loading={opinions.isFetchingNextPage}
          onClick={() => void opinions.fetchNextPage({ cancelRefetch: false })}
        >
          {moreLabel}
        </Button>
      )}
    </div>
  );
}
