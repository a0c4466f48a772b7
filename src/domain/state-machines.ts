import { AppError } from './errors.ts';

/*
 * The state machines of the consultation loop. Services ask `transition(machine, state, event)` before they
 * change anything; what a machine refuses is a 409 naming the state and the event.
 */

export interface Machine<S extends string, E extends string> {
  name: string;
  states: readonly S[];
  events: readonly E[];
  transitions: { readonly [K in E]: Partial<Readonly<Record<S, S>>> };
}

function machine<S extends string, E extends string>(definition: Machine<S, E>): Machine<S, E> {
  return definition;
}

export function canTransition<S extends string, E extends string>(
  m: Machine<S, E>,
  state: S,
  event: E,
): boolean {
  return m.transitions[event][state] !== undefined;
}

export function transition<S extends string, E extends string>(m: Machine<S, E>, state: S, event: E): S {
  const next = m.transitions[event][state];
  if (next === undefined) {
    throw new AppError(
      'conflict',
      `A ${m.name} that is ${state.replaceAll('_', ' ')} cannot ${event.replaceAll('_', ' ')}.`,
      {
        field: 'status',
        state,
        event,
      },
    );
  }
  return next;
}

/** Events allowed in a state. */
export const eventsFrom = <S extends string, E extends string>(m: Machine<S, E>, state: S): E[] =>
  m.events.filter((e) => canTransition(m, state, e));

/** 征求轮次: draft → scheduled → open → closed → assessing → feedback → finished. */
export const roundMachine = machine({
  name: 'round',
  states: ['draft', 'scheduled', 'open', 'closed', 'assessing', 'feedback', 'finished'] as const,
  events: [
    'schedule',
    'unschedule',
    'open',
    'close',
    'reopen',
    'start_assessment',
    'send_feedback',
    'finish',
  ] as const,
  transitions: {
    schedule: { draft: 'scheduled' },
    unschedule: { scheduled: 'draft' },
    open: { scheduled: 'open' },
    close: { open: 'closed' },
    // A deadline extended after closing opens the round again for the units concerned.
    reopen: { closed: 'open' },
    start_assessment: { closed: 'assessing' },
    send_feedback: { assessing: 'feedback' },
    finish: { feedback: 'finished' },
  },
});

/** 部门回复: one invited unit's reply, from the invitation to a sent (and perhaps re-sent) version. */
export const invitationMachine = machine({
  name: 'unit reply',
  states: [
    'invited',
    'acknowledged',
    'drafting',
    'in_review',
    'signed_off',
    'sent',
    'silent',
    'deemed_no_objection',
  ] as const,
  events: [
    'acknowledge',
    'start_drafting',
    'submit_for_review',
    'return_for_changes',
    'sign_off',
    'send',
    'record_silence',
    'deem_no_objection',
  ] as const,
  transitions: {
    acknowledge: { invited: 'acknowledged' },
    // Also after silence (a late reply) and after sending (a re-send is version n+1).
    start_drafting: {
      invited: 'drafting',
      acknowledged: 'drafting',
      silent: 'drafting',
      deemed_no_objection: 'drafting',
      sent: 'drafting',
    },
    submit_for_review: { drafting: 'in_review' },
    return_for_changes: { in_review: 'drafting', signed_off: 'drafting' },
    sign_off: { in_review: 'signed_off' },
    send: { signed_off: 'sent' },
    record_silence: {
      invited: 'silent',
      acknowledged: 'silent',
      drafting: 'silent',
      in_review: 'silent',
      signed_off: 'silent',
    },
    deem_no_objection: {
      invited: 'deemed_no_objection',
      acknowledged: 'deemed_no_objection',
      drafting: 'deemed_no_objection',
      in_review: 'deemed_no_objection',
      signed_off: 'deemed_no_objection',
    },
  },
});

/** 意见条目: drafted inside a unit, submitted with its reply, withdrawn before the round closes. */
export const opinionMachine = machine({
  name: 'opinion',
  states: ['draft', 'submitted', 'withdrawn'] as const,
  events: ['edit', 'submit', 'withdraw'] as const,
  transitions: {
    edit: { draft: 'draft' },
    submit: { draft: 'submitted' },
    withdraw: { draft: 'withdrawn', submitted: 'withdrawn' },
  },
});

/** 处理意见: proposed by an assessor, approved or rejected by another person, superseded by a later one. */
export const dispositionMachine = machine({
  name: 'disposition',
  states: ['proposed', 'approved', 'rejected', 'superseded'] as const,
  events: ['approve', 'reject', 'supersede'] as const,
  transitions: {
    approve: { proposed: 'approved' },
    reject: { proposed: 'rejected' },
    supersede: { proposed: 'superseded', approved: 'superseded' },
  },
});

/** 异议 and 复核: reviewed by someone other than the first approver; escalated ones are decided above. */
export const objectionMachine = machine({
  name: 'objection',
  states: ['open', 'upheld', 'changed', 'escalated', 'dissent_recorded'] as const,
  events: ['uphold', 'change', 'escalate', 'record_dissent'] as const,
  transitions: {
    uphold: { open: 'upheld', escalated: 'upheld' },
    change: { open: 'changed', escalated: 'changed' },
    escalate: { open: 'escalated' },
    // Past the bound on objection rounds, or decided above without agreement: 仍有分歧.
    record_dissent: {
      upheld: 'dissent_recorded',
      changed: 'dissent_recorded',
      escalated: 'dissent_recorded',
    },
  },
});

/**
 * 修改稿: edited as a draft, submitted by the organizers for a leader's approval (read-only meanwhile),
 * approved or returned with a note, and published as the next version only once approved. The organizers
 * may withdraw a submitted or approved revision to edit it again (the approval is then lost).
 */
export const revisionMachine = machine({
  name: 'revision',
  states: ['draft', 'submitted', 'approved', 'published'] as const,
  events: ['edit', 'submit', 'approve', 'return', 'withdraw', 'publish'] as const,
  transitions: {
    edit: { draft: 'draft' },
    submit: { draft: 'submitted' },
    approve: { submitted: 'approved' },
    return: { submitted: 'draft' },
    withdraw: { submitted: 'draft', approved: 'draft' },
    publish: { approved: 'published' },
  },
});

export type RoundState = (typeof roundMachine.states)[number];
export type RoundEvent = (typeof roundMachine.events)[number];
export type InvitationState = (typeof invitationMachine.states)[number];
export type InvitationEvent = (typeof invitationMachine.events)[number];
export type OpinionState = (typeof opinionMachine.states)[number];
export type DispositionState = (typeof dispositionMachine.states)[number];
export type ObjectionState = (typeof objectionMachine.states)[number];
export type RevisionState = (typeof revisionMachine.states)[number];
export type RevisionEvent = (typeof revisionMachine.events)[number];
