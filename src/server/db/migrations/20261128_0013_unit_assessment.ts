import type { Kysely } from 'kysely';

/* Frozen once released. Unit assessment (部门考核) weights: one global default row (scope_key 'global') and
 * optional overrides per owning unit (scope_key = the unit's id). Scores are computed from the metrics on
 * request, so there is nothing else to store. Same for SQLite and PostgreSQL. */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('assessment_weight_set')
    // 'global' or a unit id: a text key instead of a nullable unit column, so uniqueness is plain on both dialects.
    .addColumn('scope_key', 'text', (c) => c.primaryKey())
    .addColumn('unit_id', 'text', (c) => c.references('unit.id').onDelete('cascade'))
    .addColumn('weights', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.references('user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('assessment_weight_set').execute();
}
