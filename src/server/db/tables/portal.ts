/* Tables of the public comment portal: commenters, moderation and published summaries (see the migration of the same name). */

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface PortalTables {}
