import type { Insertable, Updateable } from 'kysely';
import type { Dialect } from '../db/database.ts';
import type { Executor, Tx } from '../db/executor.ts';
import type { ReplyPosition, RoundInvitationTable, RoundTable, UnitReplyTable } from '../db/schema.ts';
import type { Selectable } from 'kysely';

/*
 * Unit replies (部门回复) and the round and invitation rows they hang on. Rounds themselves are managed by
 * round.*.ts; this file only reads them.
 */

export type RoundRow = Selectable<RoundTable>;
export type InvitationRow = Selectable<RoundInvitationTable>;
export type UnitReplyRow = Selectable<UnitReplyTable>;

export interface ReplyRecord {
  id: string;
  invitationId: string;
  version: number;
  number: string;
  position: ReplyPosition;
  summary: string | null;
  opinionIds: string[];
  snapshot: unknown;
  signedOffBy: string | null;
  signedOffAt: string | null;
  sentBy: string | null;
  sentAt: string;
  late: boolean;
  ledgerSeq: number;
  ledgerHash: string;
}

export function toReply(row: UnitReplyRow): ReplyRecord {
  return {
    id: row.id,
    invitationId: row.invitation_id,
    version: row.version,
    number: row.number,
    position: row.position,
    summary: row.summary,
    opinionIds: JSON.parse(row.opinion_ids) as string[],
    snapshot: JSON.parse(row.snapshot) as unknown,
    signedOffBy: row.signed_off_by,
    signedOffAt: row.signed_off_at,
    sentBy: row.sent_by,
    sentAt: row.sent_at,
    late: row.late === 1,
    ledgerSeq: Number(row.ledger_seq),
    ledgerHash: row.ledger_hash,
  };
}

export async function findRound(db: Executor, id: string): Promise<RoundRow | undefined> {
  return db.selectFrom('round').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findInvitation(db: Executor, id: string): Promise<InvitationRow | undefined> {
  return db.selectFrom('round_invitation').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Reads an invitation and, on PostgreSQL, locks it for the rest of the transaction (SQLite serialises writers). */
export async function lockInvitation(
  tx: Tx,
  dialect: Dialect,
  id: string,
): Promise<InvitationRow | undefined> {
  const query = tx.selectFrom('round_invitation').selectAll().where('id', '=', id);
  return (dialect === 'postgres' ? query.forUpdate() : query).executeTakeFirst();
}

export async function findInvitationOfUnit(
  db: Executor,
  roundId: string,
  unitId: string,
): Promise<InvitationRow | undefined> {
  return db
    .selectFrom('round_invitation')
    .selectAll()
    .where('round_id', '=', roundId)
    .where('unit_id', '=', unitId)
    .executeTakeFirst();
}

/** The 1-based position of an invitation among its round's, in the order units were invited. */
export async function invitationOrdinal(
  db: Executor,
  roundId: string,
  invitationId: string,
): Promise<number> {
  const rows = await db
    .selectFrom('round_invitation')
    .select('id')
    .where('round_id', '=', roundId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.findIndex((r) => r.id === invitationId) + 1;
}

export async function updateInvitation(
  db: Executor,
  id: string,
  changes: Updateable<RoundInvitationTable>,
): Promise<void> {
  await db.updateTable('round_invitation').set(changes).where('id', '=', id).execute();
}

export async function insertReply(db: Executor, row: Insertable<UnitReplyTable>): Promise<void> {
  await db.insertInto('unit_reply').values(row).execute();
}

export async function findReply(db: Executor, id: string): Promise<ReplyRecord | null> {
  const row = await db.selectFrom('unit_reply').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toReply(row) : null;
}

export async function listReplies(db: Executor, invitationId: string): Promise<ReplyRecord[]> {
  const rows = await db
    .selectFrom('unit_reply')
    .selectAll()
    .where('invitation_id', '=', invitationId)
    .orderBy('version')
    .execute();
  return rows.map(toReply);
}

/** The latest ledger event of one kind on one entity: who signed a reply off, and when. */
export async function findLatestLedgerEvent(
  db: Executor,
  options: { entity: string; entityId: string; event: string },
): Promise<{ seq: number; at: string; actor: string } | null> {
  const row = await db
    .selectFrom('ledger_event')
    .select(['seq', 'at', 'actor'])
    .where('entity', '=', options.entity)
    .where('entity_id', '=', options.entityId)
    .where('event', '=', options.event)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { seq: Number(row.seq), at: row.at, actor: row.actor } : null;
}

/** The hash algorithm of stored ledger events, by sequence number (for receipts read back later). */
export async function ledgerAlgorithms(db: Executor, seqs: number[]): Promise<Map<number, string>> {
  if (seqs.length === 0) {
    return new Map();
  }
  const rows = await db.selectFrom('ledger_event').select(['seq', 'alg']).where('seq', 'in', seqs).execute();
  return new Map(rows.map((r) => [Number(r.seq), r.alg]));
}
