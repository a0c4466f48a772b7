/* Tables of conflicts and their resolution methods (meetings, calculation sheets, pilots), the escalation
 * ladder (see the migration of the same name). */

export type ConflictStatus = 'open' | 'in_resolution' | 'resolved' | 'escalated' | 'decided';
export type ConflictMethodKind = 'meeting' | 'data' | 'expert' | 'pilot';
export type ConflictMethodStatus = 'planned' | 'running' | 'done' | 'cancelled';

/** One rung of a plan's escalation ladder; a plan without rows uses the default ladder. */
export interface EscalationRungTable {
  id: string;
  plan_id: string;
  rank: number; // 0 = the drafting team
  name: string;
  role: 'organizer' | 'leader' | 'admin';
  user_ids: string; // JSON string[]: when not empty, only these users decide at this rung
  created_by: string | null;
  created_at: string;
}

/** 分歧事项: opinions of different units that disagree on one clause. */
export interface ConflictTable {
  id: string;
  plan_id: string;
  round_id: string;
  clause_stable_id: string;
  title: string;
  summary: string | null;
  status: ConflictStatus;
  level: number | null; // rung of the ladder; null until escalated
  created_from: 'person' | 'candidate';
  created_by: string | null;
  opened_at: string;
  resolved_at: string | null;
  resolved_by: string | null;
  decided_at: string | null;
  decided_by: string | null;
  decision: string | null;
  decision_code: string | null; // the disposition code given to parties without one of their own
  updated_at: string;
}

/** One opinion in a conflict, on a side, with its position and figures; its outcome once settled. */
export interface ConflictPartyTable {
  id: string;
  conflict_id: string;
  opinion_id: string;
  unit_id: string | null;
  side: string; // 'a', 'b', …
  position: string | null;
  figures: string; // JSON Figure[]
  outcome_code: string | null;
  disposition_id: string | null;
}

export interface ConflictEscalationTable {
  id: string;
  conflict_id: string;
  from_level: number | null;
  to_level: number;
  by: string | null;
  reason: string;
  at: string;
}

/** A resolution method and its record (JSON shaped by kind). */
export interface ConflictMethodTable {
  id: string;
  conflict_id: string;
  kind: ConflictMethodKind;
  title: string;
  status: ConflictMethodStatus;
  record: string; // JSON
  consultation_id: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface ConflictTables {
  escalation_rung: EscalationRungTable;
  conflict: ConflictTable;
  conflict_party: ConflictPartyTable;
  conflict_escalation: ConflictEscalationTable;
  conflict_method: ConflictMethodTable;
}
