import type { Migration, MigrationProvider, MigrationResultSet } from 'kysely';
import { Migrator } from 'kysely';
import { AppError } from '../../domain/errors.ts';
import type { Database } from './database.ts';
import * as foundation from './migrations/20261128_0001_foundation.ts';
import * as consultation from './migrations/20261128_0002_consultation.ts';
import * as revisionApproval from './migrations/20261128_0003_revision_approval.ts';
import * as invitationReminders from './migrations/20261128_0004_invitation_reminders.ts';
import * as analysis from './migrations/20261128_0005_analysis.ts';
import * as conflicts from './migrations/20261128_0006_conflicts.ts';
import * as experts from './migrations/20261128_0007_experts.ts';
import * as dataLibrary from './migrations/20261128_0008_data_library.ts';
import * as discussion from './migrations/20261128_0009_discussion.ts';
import * as notifications from './migrations/20261128_0010_notifications.ts';
import * as reminders from './migrations/20261128_0011_reminders.ts';
import * as publicPortal from './migrations/20261128_0012_public_portal.ts';
import * as unitAssessment from './migrations/20261128_0013_unit_assessment.ts';
import * as duplicateLinks from './migrations/20261202_0014_duplicate_links.ts';
import * as opinionSubmittedOrder from './migrations/20261203_0015_opinion_submitted_order.ts';
import * as duplicateLinkState from './migrations/20261203_0016_duplicate_link_state.ts';
import * as opinionAnalysisLinks from './migrations/20261203_0017_opinion_analysis_links.ts';
import * as clusterState from './migrations/20261204_0018_cluster_state.ts';

/** Every migration, in order. Listed statically so the set is the same in every runtime and bundle. */
const MIGRATIONS: Record<string, Migration> = {
  '20261128_0001_foundation': foundation,
  '20261128_0002_consultation': consultation,
  '20261128_0003_revision_approval': revisionApproval,
  '20261128_0004_invitation_reminders': invitationReminders,
  '20261128_0005_analysis': analysis,
  '20261128_0006_conflicts': conflicts,
  '20261128_0007_experts': experts,
  '20261128_0008_data_library': dataLibrary,
  '20261128_0009_discussion': discussion,
  '20261128_0010_notifications': notifications,
  '20261128_0011_reminders': reminders,
  '20261128_0012_public_portal': publicPortal,
  '20261128_0013_unit_assessment': unitAssessment,
  '20261202_0014_duplicate_links': duplicateLinks,
  '20261203_0015_opinion_submitted_order': opinionSubmittedOrder,
  '20261203_0016_duplicate_link_state': duplicateLinkState,
  '20261203_0017_opinion_analysis_links': opinionAnalysisLinks,
  '20261204_0018_cluster_state': clusterState,
};

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(MIGRATIONS) };

export async function migrateToLatest(database: Database): Promise<string[]> {
  const migrator = new Migrator({ db: database.db, provider });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const reason = result.error instanceof Error ? result.error.message : JSON.stringify(result.error);
    throw new AppError('internal', `Migration ${failed?.migrationName ?? '?'} failed: ${reason}`);
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
