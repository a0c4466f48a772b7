/* Tables of live discussion threads and messages with mentions (see the migration of the same name). */

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DiscussionTables {}
