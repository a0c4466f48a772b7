import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

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

export interface DB {
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
