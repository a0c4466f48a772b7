import { describe, expect, it } from 'vitest';
import { isAppError } from './errors.ts';
import type { Machine } from './state-machines.ts';
import {
  dispositionMachine,
  invitationMachine,
  objectionMachine,
  opinionMachine,
  revisionMachine,
  roundMachine,
  transition,
} from './state-machines.ts';

/*
 * Every event tried in every state. The expected tables are written out here, apart from the machines, so a
 * change to a machine must be made twice on purpose.
 */

type Table = Record<string, Record<string, string>>;

const EXPECTED: [Machine<string, string>, Table][] = [
  [
    roundMachine,
    {
      draft: { schedule: 'scheduled' },
      scheduled: { unschedule: 'draft', open: 'open' },
      open: { close: 'closed' },
      closed: { reopen: 'open', start_assessment: 'assessing' },
      assessing: { send_feedback: 'feedback' },
      feedback: { finish: 'finished' },
      finished: {},
    },
  ],
  [
    invitationMachine,
    {
      invited: {
        acknowledge: 'acknowledged',
        start_drafting: 'drafting',
        record_silence: 'silent',
        deem_no_objection: 'deemed_no_objection',
      },
      acknowledged: {
        start_drafting: 'drafting',
        record_silence: 'silent',
        deem_no_objection: 'deemed_no_objection',
      },
      drafting: {
        submit_for_review: 'in_review',
        record_silence: 'silent',
        deem_no_objection: 'deemed_no_objection',
      },
      in_review: {
        return_for_changes: 'drafting',
        sign_off: 'signed_off',
        record_silence: 'silent',
        deem_no_objection: 'deemed_no_objection',
      },
      signed_off: {
        return_for_changes: 'drafting',
        send: 'sent',
        record_silence: 'silent',
        deem_no_objection: 'deemed_no_objection',
      },
      sent: { start_drafting: 'drafting' },
      silent: { start_drafting: 'drafting' },
      deemed_no_objection: { start_drafting: 'drafting' },
    },
  ],
  [
    opinionMachine,
    {
      draft: { edit: 'draft', submit: 'submitted', withdraw: 'withdrawn' },
      submitted: { withdraw: 'withdrawn' },
      withdrawn: {},
    },
  ],
  [
    dispositionMachine,
    {
      proposed: { approve: 'approved', reject: 'rejected', supersede: 'superseded' },
      approved: { supersede: 'superseded' },
      rejected: {},
      superseded: {},
    },
  ],
  [
    objectionMachine,
    {
      open: { uphold: 'upheld', change: 'changed', escalate: 'escalated' },
      upheld: { record_dissent: 'dissent_recorded' },
      changed: { record_dissent: 'dissent_recorded' },
      escalated: { uphold: 'upheld', change: 'changed', record_dissent: 'dissent_recorded' },
      dissent_recorded: {},
    },
  ],
  [
    revisionMachine,
    {
      draft: { edit: 'draft', submit: 'submitted' },
      submitted: { approve: 'approved', return: 'draft', withdraw: 'draft' },
      approved: { withdraw: 'draft', publish: 'published' },
      published: {},
    },
  ],
];

describe.each(EXPECTED.map(([m, table]) => ({ name: m.name, m, table })))(
  'the $name machine',
  ({ m, table }) => {
    it('lists every state in the expected table', () => {
      expect(Object.keys(table).sort()).toEqual([...m.states].sort());
    });

    for (const state of m.states) {
      for (const event of m.events) {
        const expected = table[state]?.[event];
        it(`${expected ? 'allows' : 'refuses'} ${event} when ${state}`, () => {
          if (expected) {
            expect(transition(m, state, event)).toBe(expected);
          } else {
            let caught: unknown = null;
            try {
              transition(m, state, event);
            } catch (error) {
              caught = error;
            }
            expect(isAppError(caught) && caught.code === 'conflict' && caught.status === 409).toBe(true);
            expect(isAppError(caught) && caught.details).toMatchObject({ state, event });
          }
        });
      }
    }
  },
);
