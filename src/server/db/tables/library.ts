/* Tables of the data library: documents with full-text search, indicators, citations (see the migration of the same name). */

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface LibraryTables {}
