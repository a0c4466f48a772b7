import { describe, expect, it } from 'vitest';
import { countMonitorStates, MONITOR_STATES, monitorState, monitorStateColor } from './monitor.ts';

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
