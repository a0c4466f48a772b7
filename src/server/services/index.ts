import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { JobQueue } from '../jobs/queue.ts';
import { AuthService } from './auth.service.ts';
import { CalendarService } from './calendar.service.ts';
import { RoundService } from './round.service.ts';
import { UnitService } from './unit.service.ts';
import { UserService } from './user.service.ts';
import type { ServiceContext } from './context.ts';
import { DispositionService } from './disposition.service.ts';
import { DraftService } from './draft.service.ts';
import { FeedbackService } from './feedback.service.ts';
import { LedgerService } from './ledger.service.ts';
import { LiveBus } from './live-bus.ts';
import { OpinionService } from './opinion.service.ts';
import { ReplyService } from './reply.service.ts';
import { PlacementService } from './placement.service.ts';
import { PlanService } from './plan.service.ts';
import { RateLimitService } from './rate-limit.service.ts';
import { ExportService } from './export.service.ts';
import { MetricsService } from './metrics.service.ts';
import { RevisionService } from './revision.service.ts';
import { DashboardService } from './dashboard.service.ts';
import { AnalysisService } from './analysis.service.ts';
import { LibraryService } from './library.service.ts';
import { ConflictService } from './conflict.service.ts';
import { ExpertService } from './expert.service.ts';
import { DiscussionService } from './discussion.service.ts';
import { NotificationService } from './notification.service.ts';
import { PortalService } from './portal.service.ts';
import { ReminderService } from './reminder.service.ts';
import { UnitAssessmentService } from './unit-assessment.service.ts';

export interface Services {
  ctx: ServiceContext;
  ledger: LedgerService;
  jobs: JobQueue;
  bus: LiveBus;
  rateLimits: RateLimitService;
  auth: AuthService;
  users: UserService;
  units: UnitService;
  plans: PlanService;
  placement: PlacementService;
  drafts: DraftService;
  revisions: RevisionService;
  metrics: MetricsService;
  exports: ExportService;
  dispositions: DispositionService;
  feedback: FeedbackService;
  calendar: CalendarService;
  rounds: RoundService;
  opinions: OpinionService;
  replies: ReplyService;
  dashboard: DashboardService;
  analysis: AnalysisService;
  library: LibraryService;
  conflicts: ConflictService;
  experts: ExpertService;
  discussion: DiscussionService;
  notifications: NotificationService;
  portal: PortalService;
  reminders: ReminderService;
  unitAssessment: UnitAssessmentService;
}

/** Wires every service to one database, configuration and clock. */
export function createServices(options: {
  database: Database;
  config: Config;
  now?: () => Date;
  /** Where background failures (lost LISTEN connection, a listener that threw) are reported. */
  onError?: (error: unknown) => void;
}): Services {
  const now = options.now ?? (() => new Date());
  const ledger = new LedgerService(options.database, options.config.ledgerHash, now);
  const ctx: ServiceContext = { database: options.database, config: options.config, now, ledger };
  const rateLimits = new RateLimitService(ctx);
  const bus = new LiveBus(options.database, {
    now,
    ...(options.onError ? { onError: options.onError } : {}),
  });
  const plans = new PlanService(ctx);
  const calendar = new CalendarService(ctx);
  const jobs = new JobQueue(ctx, { bus });
  return {
    calendar,
    rounds: new RoundService(ctx, plans, calendar),
    opinions: new OpinionService(ctx),
    replies: new ReplyService(ctx),
    ctx,
    plans,
    drafts: new DraftService(ctx, plans),
    placement: new PlacementService(ctx, plans),
    ...createIntegrationServices(ctx, plans),
    dispositions: new DispositionService(ctx),
    feedback: new FeedbackService(ctx),
    ledger,
    jobs,
    bus,
    rateLimits,
    auth: new AuthService(ctx, rateLimits),
    users: new UserService(ctx),
    units: new UnitService(ctx),
    dashboard: new DashboardService(ctx, plans),
    analysis: new AnalysisService(ctx, plans, jobs),
    library: new LibraryService(ctx),
    conflicts: new ConflictService(ctx),
    experts: new ExpertService(ctx),
    discussion: new DiscussionService(ctx, bus),
    notifications: new NotificationService(ctx),
    portal: new PortalService(ctx, plans),
    reminders: new ReminderService(ctx, plans, calendar),
    unitAssessment: new UnitAssessmentService(ctx, plans),
  };
}

/** Revision, metrics and exports: the services that integrate a round's outcome into the next draft. */
function createIntegrationServices(
  ctx: ServiceContext,
  plans: PlanService,
): Pick<Services, 'revisions' | 'metrics' | 'exports'> {
  const revisions = new RevisionService(ctx, plans);
  const metrics = new MetricsService(ctx, plans);
  return { revisions, metrics, exports: new ExportService(ctx, plans, { revisions, metrics }) };
}
