/* Tables of expert roster and independent expert consultations (see the migration of the same name). */

export type ConsultationStatus = 'open' | 'closed';
export type ExpertAssignmentStatus = 'invited' | 'answered' | 'declined';

/** An expert's profile on the roster; the expert is a user holding the 'expert' role. */
export interface ExpertProfileTable {
  user_id: string;
  fields: string; // JSON string[]
  title: string | null;
  organisation: string | null;
  bio: string | null;
  updated_by: string | null;
  created_at: string;
  updated_at: string;
}

/** A consultation of experts (专家咨询) on a conflict or on chosen opinions of a round. */
export interface ExpertConsultationTable {
  id: string;
  plan_id: string;
  round_id: string;
  conflict_id: string | null;
  title: string;
  questions: string; // JSON string[]
  opinion_ids: string; // JSON string[]
  min_answers: number;
  deadline: string | null;
  /** 1: an expert who has answered sees the others' answers while it is open; 0: only once it closes. */
  reveal_after_answer: number;
  status: ConsultationStatus;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  closed_by: string | null;
  closed_at: string | null;
  /** 1 when closed with fewer answers than the minimum. */
  forced: number;
  close_reason: string | null;
}

export interface ExpertAssignmentTable {
  consultation_id: string;
  expert_id: string;
  status: ExpertAssignmentStatus;
  invited_at: string;
  answered_at: string | null;
  declined_at: string | null;
  decline_reason: string | null;
}

/** A signed answer; never updated once inserted. */
export interface ExpertAnswerTable {
  id: string;
  consultation_id: string;
  expert_id: string;
  recommendation: string;
  feasibility: number;
  reasons: string;
  answers: string; // JSON string[], one per question
  signed_name: string;
  signed_at: string;
  ledger_seq: number;
  ledger_hash: string;
}

export interface ExpertTables {
  expert_profile: ExpertProfileTable;
  expert_consultation: ExpertConsultationTable;
  expert_assignment: ExpertAssignmentTable;
  expert_answer: ExpertAnswerTable;
}
