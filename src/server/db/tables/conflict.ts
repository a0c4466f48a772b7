/* Tables of conflicts and their resolution methods (meetings, calculation sheets, pilots), the escalation ladder (see the migration of the same name). */

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ConflictTables {}
