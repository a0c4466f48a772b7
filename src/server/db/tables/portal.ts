/* Tables of the public comment portal: commenters, moderation and published summaries (see the migration of the same name). */

export type PortalModeration = 'pre' | 'post';
export type PortalCommentStatus = 'pending' | 'published' | 'rejected' | 'hidden';

/** A public round's portal settings and, once published, its summary (你说我做). */
export interface PortalRoundTable {
  round_id: string;
  moderation: PortalModeration;
  summary: string | null; // JSON PublicSummary, frozen when published
  summary_published_at: string | null;
  summary_published_by: string | null;
  created_at: string;
  updated_at: string;
}

/** A comment from the public; it becomes an opinion (unit null) once accepted. */
export interface PortalCommentTable {
  id: string;
  round_id: string;
  receipt_no: string;
  clause_stable_id: string | null;
  clause_id: string | null;
  suggestion: string;
  reasons: string | null;
  proposed_text: string | null;
  status: PortalCommentStatus;
  opinion_id: string | null;
  anonymous: number;
  /** SHA-256 of the client address: enough to see a flood, not to identify a person. */
  client_hash: string;
  moderation_reason: string | null;
  moderated_by: string | null;
  moderated_at: string | null;
  redacted: number;
  created_at: string;
  updated_at: string;
}

/** Name and contact of a commenter who gave them: never published, never returned by a public endpoint. */
export interface PortalCommenterTable {
  comment_id: string;
  name: string;
  contact: string;
  created_at: string;
}

/** A redaction of personal data from a comment, with the moderator's reason (what was removed is not kept). */
export interface PortalRedactionTable {
  id: string;
  comment_id: string;
  kinds: string; // JSON PersonalDataKind[]
  count: number;
  reason: string;
  redacted_by: string | null;
  created_at: string;
}

/** Spent CAPTCHA solutions: each solves one submission only. */
export interface PortalCaptchaUseTable {
  signature: string;
  expires_at: string;
}

export interface PortalTables {
  portal_round: PortalRoundTable;
  portal_comment: PortalCommentTable;
  portal_commenter: PortalCommenterTable;
  portal_redaction: PortalRedactionTable;
  portal_captcha_use: PortalCaptchaUseTable;
}
