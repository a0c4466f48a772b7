import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { AssessmentTables } from './tables/assessment.ts';
import type { ConflictTables } from './tables/conflict.ts';
import type { NotificationTables } from './tables/notification.ts';
import type { PortalTables } from './tables/portal.ts';
import type { ReminderTables } from './tables/reminder.ts';
import type { DiscussionTables } from './tables/discussion.ts';
import type { ExpertTables } from './tables/expert.ts';
import type { LibraryTables } from './tables/library.ts';

/*
 * One schema for SQLite and PostgreSQL. Portable column types keep the repositories dialect-free:
 * ids are application-generated text, times are ISO-8601 UTC text (which sorts correctly), booleans are
 * integers 0/1 and structured values are JSON text.
 */

export type UnitLevel = 'province' | 'city' | 'county';
export const UNIT_LEVELS: readonly UnitLevel[] = ['province', 'city', 'county'];

export type Role = 'admin' | 'organizer' | 'leader' | 'liaison' | 'unit_head' | 'expert';
export const ROLES: readonly Role[] = ['admin', 'organizer', 'leader', 'liaison', 'unit_head', 'expert'];

export interface UnitTable {
  id: string;
  code: string;
  name: string;
  parent_id: string | null;
  level: UnitLevel;
  areas: string; // JSON string[]
  keywords: string; // JSON string[]
  created_at: string;
  updated_at: string;
}

export interface UserTable {
  id: string;
  login: string;
  name: string;
  email: string | null;
  unit_id: string | null;
  password_hash: string;
  status: 'active' | 'disabled';
  failed_logins: number;
  locked_until: string | null;
  must_change_password: number;
  last_login_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface UserRoleTable {
  user_id: string;
  role: Role;
}

export interface SessionTable {
  id: string; // SHA-256 of the cookie token; the token itself is never stored
  user_id: string;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokenTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
}

export interface PlanTable {
  id: string;
  name: string;
  description: string | null;
  owner_unit_id: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface DraftVersionTable {
  id: string;
  plan_id: string;
  seq: number;
  label: string;
  title: string | null;
  source_name: string;
  format: 'docx' | 'markdown' | 'text';
  clause_count: number;
  counts: string; // JSON {kind: n}
  warnings: string; // JSON string[]
  previous_version_id: string | null;
  match_counts: string | null; // JSON {matched, changed, new, removed, uncertain}
  created_by: string | null;
  created_at: string;
}

export interface ClauseTable {
  id: string;
  version_id: string;
  stable_id: string;
  parent_id: string | null;
  position: number;
  sibling_index: number;
  depth: number;
  kind: string;
  number: string | null;
  ordinal: number | null;
  heading: string | null;
  text: string;
  path: string;
}

export interface ClauseMatchReviewTable {
  id: string;
  version_id: string;
  clause_id: string;
  candidate_stable_id: string;
  score: number | null;
  reason: 'similar' | 'position';
  status: 'pending' | 'accepted' | 'rejected';
  resolved_by: string | null;
  resolved_at: string | null;
  created_at: string;
}

export interface LedgerEventTable {
  seq: number;
  at: string;
  actor: string;
  entity: string;
  entity_id: string;
  event: string;
  payload: string; // canonical JSON
  alg: 'sm3' | 'sha256';
  prev_hash: string;
  hash: string;
}

export interface LedgerHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'skipped' | 'failed' | 'dead';

export interface JobTable {
  id: string;
  kind: string;
  payload: string;
  status: JobStatus;
  dedupe_key: string | null;
  run_at: string;
  attempts: number;
  max_attempts: number;
  locked_by: string | null;
  locked_until: string | null;
  progress: number | null;
  last_error: string | null;
  result: string | null;
  created_at: string;
  updated_at: string;
}

export interface RateLimitTable {
  key: string;
  window_start: string;
  count: number;
}

export interface LiveEventTable {
  seq: Generated<number>;
  channel: string;
  payload: string;
  created_at: string;
}

// ---- the consultation loop ----------------------------------------------------------------------------

export type RoundKind = 'internal' | 'public';
export type RoundStatus = 'draft' | 'scheduled' | 'open' | 'closed' | 'assessing' | 'feedback' | 'finished';
export type Visibility = 'never' | 'after_close' | 'always';
export type SilencePolicy = 'no_reply' | 'deemed_no_objection';
export type InvitationStatus =
  | 'invited'
  | 'acknowledged'
  | 'drafting'
  | 'in_review'
  | 'signed_off'
  | 'sent'
  | 'silent'
  | 'deemed_no_objection';
export type ReplyPosition = 'no_opinion' | 'agree_in_principle' | 'agree_with_amendments' | 'disagree';
export type OpinionKind = 'substantive' | 'editorial' | 'question';
export type OpinionStatus = 'draft' | 'submitted' | 'withdrawn';
export type DispositionCode =
  | 'adopted'
  | 'partially_adopted'
  | 'not_adopted'
  | 'already_reflected'
  | 'explained'
  | 'for_reference'
  | 'out_of_scope';
export type DispositionBasis =
  'law_policy' | 'data' | 'responsibilities' | 'conflict' | 'out_of_scope' | 'other';
export type DispositionStatus = 'proposed' | 'approved' | 'rejected' | 'superseded';
export type ObjectionStatus = 'open' | 'upheld' | 'changed' | 'escalated' | 'dissent_recorded';
export type FeedbackRating = 'satisfied' | 'basically_satisfied' | 'unsatisfied';

export interface CalendarDayTable {
  date: string;
  kind: 'holiday' | 'workday';
  name: string | null;
  scope: 'national' | 'local';
  created_by: string | null;
  created_at: string;
}

export interface RoundTable {
  id: string;
  plan_id: string;
  version_id: string;
  seq: number;
  title: string;
  kind: RoundKind;
  status: RoundStatus;
  scope: string | null;
  visibility: Visibility;
  silence_policy: SilencePolicy;
  opens_at: string;
  deadline: string;
  closes_at: string;
  working_days: number;
  urgent: number;
  urgent_reason: string | null;
  urgent_status: 'none' | 'pending' | 'approved' | 'refused';
  urgent_decided_by: string | null;
  objection_window_days: number;
  max_objection_rounds: number;
  previous_round_id: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  opened_at: string | null;
  closed_at: string | null;
  finished_at: string | null;
  /** Jaccard threshold for near-duplicates in this round; null means the default 0.8 (migration 0005). */
  dedupe_threshold: number | null;
}

export interface RoundInvitationTable {
  id: string;
  round_id: string;
  unit_id: string;
  mandatory: number;
  level: UnitLevel;
  forwarded_by_unit_id: string | null;
  questions: string;
  status: InvitationStatus;
  deadline: string | null;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  reply_version: number;
  late: number;
  created_at: string;
  updated_at: string;
  /** Reminders to send the reply (migration 0004). */
  last_reminded_at: string | null;
  reminder_count: Generated<number>;
}

export interface ExtensionRequestTable {
  id: string;
  invitation_id: string;
  requested_until: string;
  reason: string;
  status: 'pending' | 'granted' | 'refused';
  requested_by: string | null;
  decided_by: string | null;
  decided_at: string | null;
  created_at: string;
}

export interface UnitReplyTable {
  id: string;
  invitation_id: string;
  version: number;
  number: string;
  position: ReplyPosition;
  summary: string | null;
  opinion_ids: string;
  snapshot: string;
  signed_off_by: string | null;
  signed_off_at: string | null;
  sent_by: string | null;
  sent_at: string;
  late: number;
  ledger_seq: number;
  ledger_hash: string;
}

export interface OpinionTable {
  id: string;
  round_id: string;
  invitation_id: string | null;
  unit_id: string | null;
  author_id: string | null;
  reg_no: string | null;
  clause_stable_id: string | null;
  clause_id: string | null;
  quote: string | null;
  suggestion: string;
  reasons: string | null;
  proposed_text: string | null;
  kind: OpinionKind;
  blocking: number;
  status: OpinionStatus;
  quality_score: number;
  quality_flags: string;
  priority: 'core' | 'secondary' | null;
  assignee_id: string | null;
  level: UnitLevel | null;
  forwarded_by_unit_id: string | null;
  carried_from_id: string | null;
  disposition_status: 'pending' | 'proposed' | 'approved';
  created_at: string;
  updated_at: string;
  submitted_at: string | null;
  withdrawn_at: string | null;
  /** The comment's id in the file it was imported from (migration 0005). */
  external_ref?: string | null;
}

export interface OpinionEvidenceTable {
  id: string;
  opinion_id: string;
  file_name: string;
  content_type: string;
  size: number;
  sha256: string;
  data: Buffer;
  created_at: string;
}

export interface ReasonTemplateTable {
  id: string;
  plan_id: string | null;
  code: DispositionCode;
  basis: DispositionBasis | null;
  text: string;
  created_by: string | null;
  created_at: string;
}

export interface DispositionTable {
  id: string;
  opinion_id: string;
  code: DispositionCode;
  reason: string | null;
  basis: DispositionBasis | null;
  status: DispositionStatus;
  proposed_by: string | null;
  proposed_at: string;
  decided_by: string | null;
  decided_at: string | null;
  objection_id: string | null;
  created_at: string;
}

export interface FeedbackLetterTable {
  id: string;
  round_id: string;
  unit_id: string;
  status: 'draft' | 'sent';
  sent_by: string | null;
  sent_at: string | null;
  objection_deadline: string | null;
  created_at: string;
}

export interface FeedbackResponseTable {
  id: string;
  letter_id: string;
  opinion_id: string;
  response: 'confirmed' | 'rated' | 'objected';
  rating: FeedbackRating | null;
  responded_by: string | null;
  responded_at: string;
}

export interface ObjectionTable {
  id: string;
  opinion_id: string;
  disposition_id: string;
  round_no: number;
  reasons: string;
  evidence: string;
  status: ObjectionStatus;
  raised_by: string | null;
  raised_at: string;
  reviewer_id: string | null;
  reviewed_at: string | null;
  review_note: string | null;
}

export interface FollowUpTable {
  id: string;
  plan_id: string;
  opinion_id: string;
  status: 'open' | 'done';
  note: string | null;
  created_at: string;
  updated_at: string;
}

export type RevisionStatus = 'draft' | 'submitted' | 'approved' | 'published';

export interface RevisionTable {
  id: string;
  plan_id: string;
  base_version_id: string;
  status: RevisionStatus;
  published_version_id: string | null;
  created_by: string | null;
  created_at: string;
  published_at: string | null;
  // Leader approval (20261128_0003): the latest submission, approval and return.
  submitted_by: string | null;
  submitted_at: string | null;
  approved_by: string | null;
  approved_at: string | null;
  returned_by: string | null;
  returned_at: string | null;
  return_note: string | null;
}

export interface ClauseChangeTable {
  id: string;
  revision_id: string;
  clause_stable_id: string;
  kind: 'edit' | 'insert' | 'delete';
  after_stable_id: string | null;
  old_text: string | null;
  new_text: string | null;
  new_heading: string | null;
  opinion_ids: string;
  reason: string | null;
  author_id: string | null;
  created_at: string;
  updated_at: string;
}

// ---- analysis (migration 0005) -------------------------------------------------------------------------

export type LabelSource = 'machine' | 'human';
export type ClusterStatus = 'machine' | 'confirmed' | 'edited';
export type AnalysisTask = 'topic' | 'stance';

/** A topic of a plan's taxonomy. */
export interface TopicTable {
  id: string;
  plan_id: string;
  key: string;
  label: string;
  keywords: string; // JSON string[]
  position: number;
  created_at: string;
  updated_at: string;
}

/** A near-duplicate cluster of a round's opinions (form letters); members point to it from opinion_analysis. */
export interface DuplicateClusterTable {
  id: string;
  round_id: string;
  representative_id: string;
  size: number;
  status: ClusterStatus;
  threshold: number;
  reviewed_by: string | null;
  reviewed_at: string | null;
  created_at: string;
  updated_at: string;
}

/**
 * A pair of a round's opinions the machine found to be near-duplicates in different clusters (or alone):
 * the earlier opinion, then the later.
 */
export interface DuplicateLinkTable {
  round_id: string;
  opinion_id: string;
  similar_id: string;
  created_at: string;
}

/** How many near-duplicate links a round had when its analysis last wrote them, and their digest. */
export interface DuplicateLinkStateTable {
  round_id: string;
  links: number;
  digest: string;
  updated_at: string;
}

/** What a round's clustering last left behind: the digest of what a rebuild reads, and its counts. */
export interface ClusterStateTable {
  round_id: string;
  digest: string;
  clusters: number;
  clustered: number;
  updated_at: string;
}

/** The machine's reading of one opinion; `input_hash` makes re-analysis of unchanged text a no-op. */
export interface OpinionAnalysisTable {
  opinion_id: string;
  round_id: string;
  input_hash: string;
  text_hash: string; // exact-duplicate key of the normalised text
  stance: 'support' | 'oppose' | 'modify' | 'none' | null;
  stance_score: number | null;
  stance_source: LabelSource;
  keyphrases: string; // JSON string[]
  figures: string; // JSON Figure[]
  cluster_id: string | null;
  duplicate_of: string | null; // opinion id of the first exact duplicate
  version: number;
  analyzed_at: string;
}

/** A topic label on an opinion; `rejected` records a person's "not this topic", which the machine respects. */
export interface OpinionTopicTable {
  opinion_id: string;
  topic_id: string;
  score: number;
  source: LabelSource;
  rejected: number;
  labelled_by: string | null;
  labelled_at: string;
}

/** A model learned from a plan's labels (JSON of the analysis module's model). */
export interface AnalysisModelTable {
  id: string;
  plan_id: string;
  task: AnalysisTask;
  label_count: number;
  model: string;
  trained_by: string | null;
  trained_at: string;
}

export interface DB
  extends
    ConflictTables,
    ExpertTables,
    LibraryTables,
    DiscussionTables,
    NotificationTables,
    ReminderTables,
    PortalTables,
    AssessmentTables {
  unit: UnitTable;
  user: UserTable;
  user_role: UserRoleTable;
  session: SessionTable;
  api_token: ApiTokenTable;
  plan: PlanTable;
  draft_version: DraftVersionTable;
  clause: ClauseTable;
  clause_match_review: ClauseMatchReviewTable;
  ledger_event: LedgerEventTable;
  ledger_head: LedgerHeadTable;
  job: JobTable;
  rate_limit: RateLimitTable;
  live_event: LiveEventTable;
  calendar_day: CalendarDayTable;
  round: RoundTable;
  round_invitation: RoundInvitationTable;
  extension_request: ExtensionRequestTable;
  unit_reply: UnitReplyTable;
  opinion: OpinionTable;
  opinion_evidence: OpinionEvidenceTable;
  reason_template: ReasonTemplateTable;
  disposition: DispositionTable;
  feedback_letter: FeedbackLetterTable;
  feedback_response: FeedbackResponseTable;
  objection: ObjectionTable;
  follow_up: FollowUpTable;
  revision: RevisionTable;
  clause_change: ClauseChangeTable;
  topic: TopicTable;
  duplicate_cluster: DuplicateClusterTable;
  duplicate_link: DuplicateLinkTable;
  duplicate_link_state: DuplicateLinkStateTable;
  cluster_state: ClusterStateTable;
  opinion_analysis: OpinionAnalysisTable;
  opinion_topic: OpinionTopicTable;
  analysis_model: AnalysisModelTable;
}

export type UnitRow = Selectable<UnitTable>;
export type UserRow = Selectable<UserTable>;
export type SessionRow = Selectable<SessionTable>;
export type ApiTokenRow = Selectable<ApiTokenTable>;
export type PlanRow = Selectable<PlanTable>;
export type DraftVersionRow = Selectable<DraftVersionTable>;
export type ClauseRow = Selectable<ClauseTable>;
export type NewClause = Insertable<ClauseTable>;
export type ClauseMatchReviewRow = Selectable<ClauseMatchReviewTable>;
export type LedgerEventRow = Selectable<LedgerEventTable>;
export type JobRow = Selectable<JobTable>;
export type JobUpdate = Updateable<JobTable>;
export type NewClauseChange = Insertable<ClauseChangeTable>;
export type ClauseChangeUpdate = Updateable<ClauseChangeTable>;
