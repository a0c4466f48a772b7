/* Tables of expert roster and independent expert consultations (see the migration of the same name). */

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ExpertTables {}
