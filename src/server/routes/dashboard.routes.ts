import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../plugins/auth.ts';
import type { Services } from '../services/index.ts';
import { Nullable, errorResponses } from './schemas.ts';

const Rate = Nullable(Type.Number({ minimum: 0, maximum: 1 }));
const Count = Type.Integer({ minimum: 0 });

const RoundCounts = Type.Object({
  draft: Count,
  scheduled: Count,
  open: Count,
  closed: Count,
  assessing: Count,
  feedback: Count,
  finished: Count,
});

const DashboardPlan = Type.Object({
  id: Type.String(),
  name: Type.String(),
  ownerUnitId: Nullable(Type.String()),
  updatedAt: Type.String(),
  currentVersion: Nullable(
    Type.Object({ id: Type.String(), seq: Type.Integer(), label: Type.String(), createdAt: Type.String() }),
  ),
  rounds: RoundCounts,
  openRounds: Type.Array(
    Type.Object({
      roundId: Type.String(),
      seq: Type.Integer(),
      title: Type.String(),
      kind: Type.String(),
      deadline: Type.String(),
      closesAt: Type.String(),
      invited: Count,
      replied: Count,
      responseRate: Rate,
    }),
  ),
  opinions: Type.Object({ received: Count, disposed: Count, adopted: Count, adoptionRate: Rate }),
  objections: Type.Object({ open: Count, escalated: Count }),
  openRevision: Nullable(Type.Object({ id: Type.String(), status: Type.String() })),
});

const UrgentRound = Type.Object({
  roundId: Type.String(),
  planId: Type.String(),
  planName: Type.String(),
  seq: Type.Integer(),
  title: Type.String(),
  kind: Type.String(),
  status: Type.String(),
  urgentReason: Nullable(Type.String()),
  opensAt: Type.String(),
  deadline: Type.String(),
  workingDays: Type.Integer(),
  createdBy: Nullable(Type.String()),
  createdByName: Nullable(Type.String()),
  createdAt: Type.String(),
});

const SubmittedRevision = Type.Object({
  revisionId: Type.String(),
  planId: Type.String(),
  planName: Type.String(),
  baseVersion: Type.Object({ id: Type.String(), seq: Type.Integer(), label: Type.String() }),
  submittedBy: Nullable(Type.String()),
  submittedByName: Nullable(Type.String()),
  submittedAt: Nullable(Type.String()),
  changeCount: Count,
});

const EscalatedObjection = Type.Object({
  objectionId: Type.String(),
  planId: Type.String(),
  planName: Type.String(),
  roundId: Type.String(),
  roundTitle: Type.String(),
  roundNo: Type.Integer(),
  reasons: Type.String(),
  reviewNote: Nullable(Type.String()),
  raisedAt: Type.String(),
  reviewedAt: Nullable(Type.String()),
  opinion: Type.Object({
    id: Type.String(),
    regNo: Nullable(Type.String()),
    suggestion: Type.String(),
    unitName: Nullable(Type.String()),
    clauseNumber: Nullable(Type.String()),
  }),
  disposition: Type.Object({
    id: Type.String(),
    code: Type.String(),
    reason: Nullable(Type.String()),
    decidedBy: Nullable(Type.String()),
  }),
});

const Dashboard = Type.Object({
  generatedAt: Type.String(),
  totals: Type.Object({
    plans: Count,
    openRounds: Count,
    received: Count,
    disposed: Count,
    adopted: Count,
    openObjections: Count,
    pendingApprovals: Count,
  }),
  plans: Type.Array(DashboardPlan),
  pending: Type.Object({
    urgentRounds: Type.Array(UrgentRound),
    revisions: Type.Array(SubmittedRevision),
    objections: Type.Array(EscalatedObjection),
  }),
});

export const dashboardRoutes =
  (services: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/dashboard',
      {
        schema: {
          tags: ['dashboard'],
          summary:
            'The plans the caller may read with their figures, and the approvals waiting for the caller (领导看板)',
          response: { 200: Dashboard, ...errorResponses },
        },
      },
      async (request) => services.dashboard.getDashboard(actorOf(request)),
    );
  };
