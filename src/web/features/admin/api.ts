import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, uploadFile } from '../../api.ts';
import type { CalendarDay, DayKind, DayScope } from './calendar.ts';
import type { UnitLevel } from './unit-tree.ts';
import type { Role } from './users.ts';

// ---- units ----

export interface Unit {
  id: string;
  code: string;
  name: string;
  parentId: string | null;
  level: UnitLevel;
  areas: string[];
  keywords: string[];
  createdAt: string;
  updatedAt: string;
}

export interface UnitInput {
  code: string;
  name: string;
  parentId: string | null;
  level: UnitLevel;
  areas: string[];
  keywords: string[];
}

export interface ImportUnitsResult {
  created: number;
  updated: number;
  rows: number;
}

/** What still refers to a unit the server refused to delete (the 409's `details.references`). */
export type UnitReferences = Partial<
  Record<'subUnits' | 'users' | 'plans' | 'invitations' | 'opinions' | 'feedbackLetters', number>
>;

/** The same key as the rest of the app's unit directory, so every view sees a change at once. */
const UNITS_KEY = ['units'];

export function useUnitDirectory() {
  return useQuery({ queryKey: UNITS_KEY, queryFn: () => api<Unit[]>('/units') });
}

export function useCreateUnit() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: UnitInput) => api<Unit>('/units', { method: 'POST', body: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: UNITS_KEY }),
  });
}

export function useUpdateUnit() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...changes }: Partial<UnitInput> & { id: string }) =>
      api<Unit>(`/units/${id}`, { method: 'PATCH', body: changes }),
    onSuccess: () => client.invalidateQueries({ queryKey: UNITS_KEY }),
  });
}

export function useDeleteUnit() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/units/${id}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: UNITS_KEY }),
  });
}

/** The references of a refused delete, or null when the error is something else. */
export function unitReferencesOf(error: unknown): UnitReferences | null {
  if (!(error instanceof ApiError) || error.status !== 409) {
    return null;
  }
  const references = (error.details as { references?: unknown } | undefined)?.references;
  return references && typeof references === 'object' ? references : null;
}

/** Uploads the CSV with XMLHttpRequest, so that the upload's progress can be shown. */
export function uploadUnitsCsv(
  file: File,
  onProgress: (percent: number) => void,
): Promise<ImportUnitsResult> {
  return uploadFile<ImportUnitsResult>('/units/import', file, onProgress);
}

export function useImportUnits() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { file: File; onProgress: (percent: number) => void }) =>
      uploadUnitsCsv(input.file, input.onProgress),
    onSuccess: () => client.invalidateQueries({ queryKey: UNITS_KEY }),
  });
}

// ---- users ----

export interface User {
  id: string;
  login: string;
  name: string;
  email: string | null;
  unitId: string | null;
  roles: Role[];
  status: 'active' | 'disabled';
  lockedUntil: string | null;
  mustChangePassword: boolean;
  lastLoginAt: string | null;
  createdAt: string;
}

/** An account just created or reset; `oneTimePassword` only when the server drew it (shown once). */
export type UserWithPassword = User & { oneTimePassword?: string };

export interface UserFilter {
  role?: Role;
  unitId?: string;
}

export interface NewUser {
  login: string;
  name: string;
  email: string | null;
  unitId: string | null;
  roles: Role[];
  /** Omitted: the server draws a one-time password. */
  password?: string;
}

export interface UserChanges {
  name?: string;
  email?: string | null;
  unitId?: string | null;
  roles?: Role[];
  status?: 'active' | 'disabled';
}

const USERS_KEY = ['admin', 'users'];

export function useUsers(filter: UserFilter) {
  const params = new URLSearchParams();
  if (filter.role) {
    params.set('role', filter.role);
  }
  if (filter.unitId) {
    params.set('unitId', filter.unitId);
  }
  const query = params.toString();
  return useQuery({
    queryKey: [...USERS_KEY, filter.role ?? null, filter.unitId ?? null],
    queryFn: () => api<User[]>(`/users${query ? `?${query}` : ''}`),
  });
}

export function useCreateUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: NewUser) => api<UserWithPassword>('/users', { method: 'POST', body: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: USERS_KEY }),
    // The answer holds a one-time password: not kept in the cache once the dialog is gone.
    gcTime: 0,
  });
}

export function useUpdateUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...changes }: UserChanges & { id: string }) =>
      api<User>(`/users/${id}`, { method: 'PATCH', body: changes }),
    onSuccess: () => client.invalidateQueries({ queryKey: USERS_KEY }),
  });
}

export function useUnlockUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<User>(`/users/${id}/unlock`, { method: 'POST' }),
    onSuccess: () => client.invalidateQueries({ queryKey: USERS_KEY }),
  });
}

export function useResetPassword() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { id: string; password?: string }) =>
      api<UserWithPassword>(`/users/${input.id}/password`, {
        method: 'POST',
        body: input.password === undefined ? {} : { password: input.password },
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: USERS_KEY }),
    gcTime: 0,
  });
}

// ---- calendar ----

export interface CalendarView {
  from: string;
  to: string;
  days: CalendarDay[];
  uncoveredYears: number[];
}

export interface CalendarOverride {
  date: string;
  kind: DayKind;
  name: string | null;
  scope: DayScope;
}

export interface Deadline {
  from: string;
  workingDays: number;
  deadline: string;
  closesAt: string;
  calendarDays: number;
  uncoveredYears: number[];
}

const CALENDAR_KEY = ['admin', 'calendar'];

export function useCalendar(range: { from: string; to: string }) {
  return useQuery({
    queryKey: [...CALENDAR_KEY, range.from, range.to],
    queryFn: () =>
      api<CalendarView>(
        `/calendar?from=${encodeURIComponent(range.from)}&to=${encodeURIComponent(range.to)}`,
      ),
    placeholderData: (previous) => previous,
  });
}

/** After a change of the calendar, every computed deadline may move too. */
async function invalidateCalendar(client: ReturnType<typeof useQueryClient>): Promise<void> {
  await client.invalidateQueries({ queryKey: CALENDAR_KEY });
  await client.invalidateQueries({ queryKey: ['deadline'] });
}

export function useSetCalendarDay() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: CalendarOverride) =>
      api<CalendarOverride>('/calendar/days', { method: 'POST', body: input }),
    onSuccess: () => invalidateCalendar(client),
  });
}

export function useDeleteCalendarDay() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (date: string) => api<void>(`/calendar/days/${date}`, { method: 'DELETE' }),
    onSuccess: () => invalidateCalendar(client),
  });
}

/** The same key as the round wizard's deadline, so both share answers and both refresh on a change. */
export function useDeadline(from: string | undefined, workingDays: number | undefined) {
  return useQuery({
    queryKey: ['deadline', from, workingDays],
    queryFn: () => api<Deadline>(`/calendar/deadline?from=${from}&workingDays=${workingDays}`),
    enabled: Boolean(from) && typeof workingDays === 'number' && workingDays >= 0,
  });
}

/** Whether a failed request was refused for lack of permission. */
export const isForbidden = (error: unknown): boolean => error instanceof ApiError && error.status === 403;
