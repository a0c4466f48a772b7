import { useQuery } from '@tanstack/react-query';
import { api } from '../../api.ts';
import type { ClauseDiff } from './compare.ts';

/** Per-clause differences from `againstId` to `versionId`. */
export function useVersionDiff(versionId: string | undefined, againstId: string | undefined) {
  return useQuery({
    queryKey: ['version', versionId, 'diff', againstId],
    queryFn: () =>
      api<ClauseDiff[]>(`/versions/${versionId}/diff?against=${encodeURIComponent(againstId ?? '')}`),
    enabled: Boolean(versionId && againstId && versionId !== againstId),
  });
}
