/** Pure display logic for deadlines counted in working days (the server counts them on the PRC calendar). */

export type DeadlineState = 'done' | 'overdue' | 'today' | 'soon' | 'normal';

/** How urgent a deadline looks: 'done' once the reply is no longer owed. */
export function deadlineState(workingDaysLeft: number, done: boolean): DeadlineState {
  if (done) {
    return 'done';
  }
  if (workingDaysLeft < 0) {
    return 'overdue';
  }
  if (workingDaysLeft <= 1) {
    return 'today';
  }
  return workingDaysLeft <= 3 ? 'soon' : 'normal';
}

export const deadlineColor: Record<DeadlineState, string> = {
  done: 'default',
  overdue: 'red',
  today: 'volcano',
  soon: 'orange',
  normal: 'blue',
};

/** Whether a China-local date (YYYY-MM-DD) is over at `now` (the day ends at midnight UTC+8). */
export function isPastChinaDay(date: string, now: Date = new Date()): boolean {
  const end = Date.parse(`${date}T00:00:00+08:00`) + 86_400_000;
  return Number.isFinite(end) && now.getTime() >= end;
}

/** The message of a deadline tag: an i18n key and its values ("剩余 N 个工作日", "已逾期 N 个工作日"…). */
export type DeadlineMessage =
  | { key: 'inbox.deadlineOn'; values: { date: string } }
  | { key: 'inbox.overdue' | 'inbox.daysLeft'; values: { count: number } }
  | { key: 'inbox.dueToday'; values: Record<string, never> };

export function deadlineMessage(workingDaysLeft: number, deadline: string, done: boolean): DeadlineMessage {
  if (deadlineState(workingDaysLeft, done) === 'done') {
    return { key: 'inbox.deadlineOn', values: { date: deadline } };
  }
  if (workingDaysLeft < 0) {
    return { key: 'inbox.overdue', values: { count: -workingDaysLeft } };
  }
  if (workingDaysLeft === 0) {
    return { key: 'inbox.dueToday', values: {} };
  }
  return { key: 'inbox.daysLeft', values: { count: workingDaysLeft } };
}
