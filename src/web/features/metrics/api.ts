import { useQuery } from '@tanstack/react-query';
import { api } from '../../api.ts';
import type { DispositionCode } from '../../../domain/disposition-rules.ts';
import type {
  DailyReplies,
  DispositionCounts,
  MetricCounts,
  MetricRates,
  RatingCounts,
} from '../../../domain/metrics.ts';

export type { DispositionCode };
export type Level = 'province' | 'city' | 'county';

export type GroupMetrics = MetricCounts & MetricRates;

export interface UnitMetrics extends GroupMetrics {
  unitId: string;
  name: string;
  code: string;
  level: Level;
  score: number | null;
  byCode: DispositionCounts;
}

export interface LevelMetrics extends GroupMetrics {
  level: Level;
}

export interface RoundCycle {
  roundId: string;
  seq: number;
  title: string;
  status: string;
  opensAt: string;
  deadline: string;
  closesAt: string;
  openedAt: string | null;
  closedAt: string | null;
  solicitationDays: number | null;
  integrationDays: number | null;
}

export interface ObjectionOutcome {
  raised: number;
  open: number;
  reviewed: number;
  upheld: number;
  changed: number;
  escalated: number;
  dissent: number;
}

/** `GET /rounds/:id/metrics` and `GET /plans/:id/metrics`: rates in 0..1, null when undefined. */
export interface Metrics extends MetricRates {
  scope: { kind: 'round' | 'plan'; id: string; planId: string };
  counts: MetricCounts;
  solicitationDays: number | null;
  integrationDays: number | null;
  conflictResolutionDays: { median: number; max: number } | null;
  objections: ObjectionOutcome;
  rounds: RoundCycle[];
  byUnit: UnitMetrics[];
  byLevel: LevelMetrics[];
  timeline: DailyReplies[];
  byCode: DispositionCounts;
  ratings: RatingCounts;
}

export type MetricsScope = { kind: 'round' | 'plan'; id: string };

export const metricsPath = (scope: MetricsScope): string =>
  `/${scope.kind === 'round' ? 'rounds' : 'plans'}/${scope.id}/metrics`;

export function useMetrics(scope: MetricsScope) {
  return useQuery({
    queryKey: ['metrics', scope.kind, scope.id],
    queryFn: () => api<Metrics>(metricsPath(scope)),
    enabled: scope.id !== '',
  });
}
