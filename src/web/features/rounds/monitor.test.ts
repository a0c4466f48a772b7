import { describe, expect, it } from 'vitest';
import {
  canRemind,
  countMonitorStates,
  MONITOR_STATES,
  monitorState,
  monitorStateColor,
  remindable,
} from './monitor.ts';

const inv = (status: string, late = false) => ({ status, late });

describe('monitorState', () => {
  it('maps invitation statuses to the monitor states', () => {
    expect(monitorState(inv('invited'))).toBe('invited');
    expect(monitorState(inv('acknowledged'))).toBe('acknowledged');
    expect(monitorState(inv('drafting'))).toBe('drafting');
    expect(monitorState(inv('in_review'))).toBe('drafting');
    expect(monitorState(inv('signed_off'))).toBe('drafting');
    expect(monitorState(inv('sent'))).toBe('sent');
    expect(monitorState(inv('deemed_no_objection'))).toBe('sent');
    expect(monitorState(inv('silent'))).toBe('silent');
  });

  it('shows a late unit as late until it has sent or fallen silent', () => {
    expect(monitorState(inv('drafting', true))).toBe('late');
    expect(monitorState(inv('invited', true))).toBe('late');
    expect(monitorState(inv('sent', true))).toBe('sent');
    expect(monitorState(inv('silent', true))).toBe('silent');
  });

  it('treats an unknown status as invited', () => {
    expect(monitorState(inv('something_new'))).toBe('invited');
  });
});

describe('countMonitorStates', () => {
  it('counts invitations per state', () => {
    const counts = countMonitorStates([
      inv('sent'),
      inv('deemed_no_objection'),
      inv('drafting'),
      inv('drafting', true),
      inv('invited'),
    ]);
    expect(Object.fromEntries(counts)).toEqual({ sent: 2, drafting: 1, late: 1, invited: 1 });
  });

  it('is empty for no invitations', () => {
    expect(countMonitorStates([]).size).toBe(0);
  });
});

describe('the monitor states', () => {
  it('have a colour each, invited included', () => {
    for (const s of [...MONITOR_STATES, 'invited'] as const) {
      expect(monitorStateColor[s]).toBeTypeOf('string');
    }
  });
});

describe('canRemind and remindable', () => {
  const unit = (status: string, replyVersion = 0) => ({ status, replyVersion });

  it('reminds units that have not sent, while the round is open', () => {
    for (const status of ['invited', 'acknowledged', 'drafting', 'in_review', 'signed_off', 'silent']) {
      expect(canRemind(unit(status), 'open')).toBe(true);
    }
    expect(canRemind(unit('sent', 1), 'open')).toBe(false);
    expect(canRemind(unit('deemed_no_objection'), 'open')).toBe(false);
    // Sent once, drafting the next version: it has replied.
    expect(canRemind(unit('drafting', 1), 'open')).toBe(false);
  });

  it('reminds nobody in a round that is not open', () => {
    for (const round of ['draft', 'scheduled', 'closed', 'assessing', 'feedback', 'finished']) {
      expect(canRemind(unit('invited'), round)).toBe(false);
    }
  });

  it('picks the units to remind, in order', () => {
    const list = [unit('sent', 1), unit('invited'), unit('drafting', 2), unit('acknowledged')];
    expect(remindable(list, 'open')).toEqual([unit('invited'), unit('acknowledged')]);
    expect(remindable(list, 'closed')).toEqual([]);
  });
});
