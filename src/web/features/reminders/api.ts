import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  AutomaticReminderRule,
  ReminderRule,
  ScheduledReminder,
} from '../../../domain/reminder-rules.ts';
import { api } from '../../api.ts';
import type { Invitation } from '../rounds/api.ts';

/* Reminders (催办) to units that have not replied and supervision (督办) of the late ones. */

export type { AutomaticReminderRule, ReminderRule, ScheduledReminder };

export interface ReminderSettings {
  roundId: string;
  /** Working days before the deadline on which units that have not replied are reminded, largest first. */
  beforeDays: number[];
  /** Working days after the unit head was told that the leader of the plan's unit is told. */
  leaderAfterDays: number;
  enabled: boolean;
  /** Nothing saved for the round: the defaults apply. */
  isDefault: boolean;
  updatedBy: string | null;
  updatedAt: string | null;
  /** The automatic reminders of a unit due on the round's own deadline. */
  schedule: ScheduledReminder[];
}

export interface SentReminder {
  id: string;
  invitationId: string;
  rule: ReminderRule;
  dueOn: string;
  deadline: string;
  sentAt: string;
  /** Who sent it by hand; null for the automatic ones. */
  sentBy: string | null;
  sentByName: string | null;
  /** The people notified, by id. */
  recipients: string[];
  note: string | null;
}

export interface InvitationReminders {
  invitationId: string;
  unitId: string;
  unitName: string;
  status: string;
  deadline: string;
  /** Negative: working days overdue. */
  workingDaysLeft: number;
  replied: boolean;
  /** Oldest first. */
  reminders: SentReminder[];
  /** The next automatic reminder (due now or to come); null once replied or nothing is left. */
  next: ScheduledReminder | null;
}

export interface RoundReminders {
  roundId: string;
  settings: ReminderSettings;
  invitations: InvitationReminders[];
}

export interface ReminderSettingsInput {
  beforeDays: number[];
  leaderAfterDays: number;
  enabled: boolean;
}

const remindersKey = (roundId: string) => ['round', roundId, 'reminders'] as const;

/** Per invitation of a round: the reminders sent and the next one due, with the round's settings. */
export function useRoundReminders(roundId: string) {
  return useQuery({
    queryKey: remindersKey(roundId),
    queryFn: () => api<RoundReminders>(`/rounds/${roundId}/reminders`),
  });
}

/** Saves a round's reminder settings; the schedule and each unit's next reminder follow them. */
export function useSaveReminderSettings(roundId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ReminderSettingsInput) =>
      api<ReminderSettings>(`/rounds/${roundId}/reminder-settings`, { method: 'PUT', body: input }),
    onSuccess: (settings) => {
      client.setQueryData<RoundReminders>(remindersKey(roundId), (old) => (old ? { ...old, settings } : old));
      return client.invalidateQueries({ queryKey: remindersKey(roundId) });
    },
  });
}

/**
 * Reminds one unit by hand (催办), with an optional note; the server refuses units that have replied and
 * rounds that are not open. The monitor's counts and the reminders list both refresh.
 */
export function useManualRemind(roundId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { invitationId: string; note?: string | null }) =>
      api<Invitation>(`/invitations/${input.invitationId}/remind`, {
        method: 'POST',
        body: { note: input.note?.trim() || null },
      }),
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: ['round', roundId, 'invitations'] }),
        client.invalidateQueries({ queryKey: remindersKey(roundId) }),
      ]),
  });
}
