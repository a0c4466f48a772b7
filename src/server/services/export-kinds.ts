/** What can be exported, and in which formats (shared by the export service, its routes and the CLI). */
export const EXPORT_KINDS = [
  'opinions',
  'dispositions',
  'comparison',
  'revision',
  'report',
  'ledger',
] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];
export type ExportFormat = 'xlsx' | 'docx' | 'jsonl';
