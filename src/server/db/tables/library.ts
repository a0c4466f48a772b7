/* Tables of the data library: documents with full-text search, indicators, citations (see the migration of the same name). */

export type LibraryDocumentKind = 'yearbook' | 'policy' | 'case' | 'other';
export type LibraryVisibility = 'plan' | 'unit' | 'all';
export type LibraryFormat = 'pdf' | 'docx' | 'xlsx' | 'txt';
/** 约束性 (binding) or 预期性 (expected), as plans label their indicators. */
export type IndicatorKind = 'binding' | 'expected';
export type CitationFromKind = 'opinion' | 'disposition' | 'conflict' | 'calculation';

export interface LibraryDocumentTable {
  id: string;
  owner_unit_id: string;
  /** Required when visibility is 'plan'. */
  plan_id: string | null;
  visibility: LibraryVisibility;
  kind: LibraryDocumentKind;
  title: string;
  source: string | null;
  year: number | null;
  issuing_body: string | null;
  file_name: string;
  format: LibraryFormat;
  content_type: string;
  size: number;
  sha256: string;
  data: Buffer;
  page_count: number | null;
  passage_count: number;
  char_count: number;
  warnings: string; // JSON string[]
  uploaded_by: string | null;
  created_at: string;
}

export interface LibraryPassageTable {
  id: string;
  document_id: string;
  ordinal: number;
  /** PDF page, from 1; null for other formats. */
  page: number | null;
  /** Where in the file, when a page says too little (an .xlsx sheet and its rows). */
  label: string | null;
  text: string;
  /**
   * The passage's words, space-separated, as the full-text index sees them. The index itself lives outside
   * these types and is reached only by the repository's search: on PostgreSQL a generated column
   * `tokens_tsv` (tsvector 'simple') with a GIN index, on SQLite the FTS5 table `library_passage_fts`.
   */
  tokens: string;
}

export interface LibraryIndicatorTable {
  id: string;
  owner_unit_id: string;
  plan_id: string | null;
  visibility: LibraryVisibility;
  document_id: string | null;
  /** The import that brought the row in; its row number in the file. */
  import_id: string;
  row_number: number;
  name: string;
  value: number;
  unit: string | null;
  year: number;
  region: string | null;
  source: string | null;
  kind: IndicatorKind;
  created_by: string | null;
  created_at: string;
}

export interface CitationTable {
  id: string;
  from_kind: CitationFromKind;
  from_id: string;
  document_id: string | null;
  passage_id: string | null;
  indicator_id: string | null;
  quote: string | null;
  created_by: string | null;
  created_at: string;
}

export interface LibraryTables {
  library_document: LibraryDocumentTable;
  library_passage: LibraryPassageTable;
  library_indicator: LibraryIndicatorTable;
  citation: CitationTable;
}
