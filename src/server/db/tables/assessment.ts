/* Tables of unit assessment weights and scores (see the migration of the same name). */

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface AssessmentTables {}
