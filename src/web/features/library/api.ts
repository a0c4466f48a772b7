import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, uploadFile } from '../../api.ts';

/* The data library (数据支撑库): documents with their indexed text, indicators and citations. */

export type DocumentKind = 'yearbook' | 'policy' | 'case' | 'other';
export const DOCUMENT_KINDS: readonly DocumentKind[] = ['yearbook', 'policy', 'case', 'other'];
export type Visibility = 'plan' | 'unit' | 'all';
export const VISIBILITIES: readonly Visibility[] = ['unit', 'plan', 'all'];
export type IndicatorKind = 'binding' | 'expected';
export type CitingKind = 'opinion' | 'disposition' | 'conflict' | 'calculation';

export interface LibraryDocument {
  id: string;
  ownerUnitId: string;
  planId: string | null;
  visibility: Visibility;
  kind: DocumentKind;
  title: string;
  source: string | null;
  year: number | null;
  issuingBody: string | null;
  fileName: string;
  format: 'pdf' | 'docx' | 'xlsx' | 'txt';
  contentType: string;
  size: number;
  sha256: string;
  pageCount: number | null;
  passageCount: number;
  charCount: number;
  warnings: string[];
  uploadedBy: string | null;
  createdAt: string;
}

export interface Passage {
  id: string;
  documentId: string;
  ordinal: number;
  page: number | null;
  label: string | null;
  text: string;
}

export interface SearchResult {
  document: LibraryDocument;
  passage: Passage;
  score: number;
  snippet: { text: string; offset: number; highlights: { start: number; end: number }[] };
}

export interface SearchResponse {
  query: string;
  terms: string[];
  results: SearchResult[];
}

export interface Indicator {
  id: string;
  ownerUnitId: string;
  planId: string | null;
  visibility: Visibility;
  documentId: string | null;
  importId: string;
  rowNumber: number;
  name: string;
  value: number;
  unit: string | null;
  year: number;
  region: string | null;
  source: string | null;
  kind: IndicatorKind;
  createdAt: string;
}

export interface Citation {
  id: string;
  fromKind: CitingKind;
  fromId: string;
  documentId: string | null;
  passageId: string | null;
  indicatorId: string | null;
  quote: string | null;
  createdAt: string;
  document: {
    id: string;
    title: string;
    kind: DocumentKind;
    year: number | null;
    source: string | null;
  } | null;
  passage: { id: string; ordinal: number; page: number | null; label: string | null } | null;
  indicator: {
    id: string;
    name: string;
    value: number;
    unit: string | null;
    year: number;
    region: string | null;
    kind: IndicatorKind;
  } | null;
}

export interface DocumentFilter {
  kind?: DocumentKind;
  year?: number;
  text?: string;
}

const query = (params: Record<string, string | number | undefined>) =>
  Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join('&');

export const libraryKeys = {
  documents: (filter: DocumentFilter, page: number) => ['library', 'documents', filter, page] as const,
  search: (q: string, kind: DocumentKind | undefined) => ['library', 'search', q, kind ?? null] as const,
  passage: (id: string) => ['library', 'passage', id] as const,
  indicators: (name: string, page: number) => ['library', 'indicators', name, page] as const,
  citations: (kind: CitingKind, id: string) => ['library', 'citations', kind, id] as const,
};

export const PAGE_SIZE = 20;

export function useDocuments(filter: DocumentFilter, page: number) {
  return useQuery({
    queryKey: libraryKeys.documents(filter, page),
    queryFn: () =>
      api<{ items: LibraryDocument[]; total: number }>(
        `/library/documents?${query({ ...filter, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE })}`,
      ),
    placeholderData: keepPreviousData,
  });
}

export function useSearch(q: string, kind?: DocumentKind) {
  return useQuery({
    queryKey: libraryKeys.search(q, kind),
    queryFn: () => api<SearchResponse>(`/library/search?${query({ q, kind, limit: 30 })}`),
    enabled: q.trim() !== '',
  });
}

export function usePassage(passageId: string | null) {
  return useQuery({
    queryKey: libraryKeys.passage(passageId ?? ''),
    queryFn: () =>
      api<{ document: LibraryDocument; passage: Passage; before: Passage[]; after: Passage[] }>(
        `/library/passages/${passageId}?around=2`,
      ),
    enabled: passageId !== null,
  });
}

export interface UploadMeta {
  kind: DocumentKind;
  visibility: Visibility;
  title?: string;
  source?: string;
  year?: number;
  issuingBody?: string;
  planId?: string;
}

function fieldsOf(meta: object): Record<string, string> {
  return Object.fromEntries(
    Object.entries(meta)
      .filter(([, v]) => v !== undefined && v !== null && v !== '')
      .map(([k, v]) => [k, String(v)]),
  );
}

export function useUploadDocument(onProgress: (percent: number) => void) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ file, meta }: { file: File; meta: UploadMeta }) =>
      uploadFile<LibraryDocument>('/library/documents', file, onProgress, fieldsOf(meta)),
    onSuccess: () => client.invalidateQueries({ queryKey: ['library'] }),
  });
}

export function useDeleteDocument() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/library/documents/${id}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['library'] }),
  });
}

export function useIndicators(name: string, page: number) {
  return useQuery({
    queryKey: libraryKeys.indicators(name, page),
    queryFn: () =>
      api<{ items: Indicator[]; total: number }>(
        `/library/indicators?${query({ name: name.trim() || undefined, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE })}`,
      ),
    placeholderData: keepPreviousData,
  });
}

export function useImportIndicators(onProgress: (percent: number) => void) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ file, visibility, planId }: { file: File; visibility: Visibility; planId?: string }) =>
      uploadFile<{ importId: string; count: number; items: Indicator[] }>(
        '/library/indicators/import',
        file,
        onProgress,
        fieldsOf({ visibility, planId }),
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: ['library', 'indicators'] }),
  });
}

export function useCitations(fromKind: CitingKind, fromId: string | undefined) {
  return useQuery({
    queryKey: libraryKeys.citations(fromKind, fromId ?? ''),
    queryFn: () => api<Citation[]>(`/citations?${query({ fromKind, fromId })}`),
    enabled: Boolean(fromId),
  });
}

export function useCite(fromKind: CitingKind, fromId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (target: { passageId?: string; indicatorId?: string; documentId?: string; quote?: string }) =>
      api<Citation>('/citations', { method: 'POST', body: { fromKind, fromId, ...target } }),
    onSuccess: () => client.invalidateQueries({ queryKey: libraryKeys.citations(fromKind, fromId) }),
  });
}
