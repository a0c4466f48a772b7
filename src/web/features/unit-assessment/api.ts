import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api.ts';
import type { MetricCounts } from '../../../domain/metrics.ts';
import type { AssessmentWeightSet, ComponentRates } from '../../../domain/unit-assessment.ts';
import type { AssessmentPeriodQuery } from './figures.ts';
import { assessmentSearch } from './figures.ts';

export type Level = 'province' | 'city' | 'county';

export interface EffectiveWeights {
  unitId: string | null;
  weights: AssessmentWeightSet;
  source: 'default' | 'global' | 'unit';
  updatedAt: string | null;
}

export interface UnitAssessmentRow {
  unitId: string;
  name: string;
  code: string;
  level: Level;
  rounds: number;
  counts: MetricCounts;
  components: ComponentRates;
  score: number | null;
  rank: number | null;
}

/** `GET /unit-assessment`: the period's per-unit weighted scores, ranked. */
export interface UnitAssessment {
  period: { from: string; to: string };
  level: Level | null;
  ownerUnitId: string | null;
  weights: EffectiveWeights;
  roundCount: number;
  rankedCount: number;
  ownUnitOnly: boolean;
  units: UnitAssessmentRow[];
}

export function useUnitAssessment(query: AssessmentPeriodQuery) {
  return useQuery({
    queryKey: ['unit-assessment', query],
    queryFn: () => api<UnitAssessment>(`/unit-assessment?${assessmentSearch(query)}`),
  });
}

export function useAssessmentWeights(unitId: string | null) {
  return useQuery({
    queryKey: ['unit-assessment', 'weights', unitId],
    queryFn: () =>
      api<EffectiveWeights>(
        `/unit-assessment/weights${unitId ? `?unitId=${encodeURIComponent(unitId)}` : ''}`,
      ),
  });
}

/** Saves the global default (unitId null) or a unit's override; every assessment is refetched. */
export function useSaveWeights() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { unitId: string | null; weights: AssessmentWeightSet }) =>
      api<EffectiveWeights>('/unit-assessment/weights', { method: 'PUT', body: input }),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ['unit-assessment'] });
    },
  });
}

/** Drops a unit's override so the global default applies again. */
export function useClearWeights() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (unitId: string) =>
      api<EffectiveWeights>(`/unit-assessment/weights/units/${encodeURIComponent(unitId)}`, {
        method: 'DELETE',
      }),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ['unit-assessment'] });
    },
  });
}
