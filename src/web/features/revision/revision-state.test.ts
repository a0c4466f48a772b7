import { describe, expect, it } from 'vitest';
import { clauseLabel, findOpenRevision, revisionActions } from './revision-state.ts';

const organizer = { id: 'o1', roles: ['organizer'] };
const leader = { id: 'l1', roles: ['leader'] };
const revision = (status: string, submittedBy: string | null = null, returnNote: string | null = null) => ({
  status,
  submittedBy,
  returnNote,
});

describe('findOpenRevision', () => {
  it('picks the first revision that is not published', () => {
    expect(
      findOpenRevision([
        { id: 'c', status: 'published' },
        { id: 'b', status: 'submitted' },
        { id: 'a', status: 'published' },
      ]),
    ).toEqual({ id: 'b', status: 'submitted' });
  });

  it('finds none when every revision is published, or there is none', () => {
    expect(findOpenRevision([{ status: 'published' }])).toBeNull();
    expect(findOpenRevision([])).toBeNull();
  });
});

describe('revisionActions', () => {
  it('lets the organizers edit and submit a draft, with publishing shown but disabled', () => {
    expect(revisionActions(revision('draft'), organizer)).toEqual({
      editable: true,
      canSubmit: true,
      canWithdraw: false,
      showPublish: true,
      canPublish: false,
      canDecide: false,
      ownSubmission: false,
      showReturnNote: false,
    });
  });

  it('makes a submitted revision read-only for the organizers, who may withdraw it', () => {
    const actions = revisionActions(revision('submitted', 'o1'), organizer);
    expect(actions).toMatchObject({
      editable: false,
      canSubmit: false,
      canWithdraw: true,
      canPublish: false,
    });
  });

  it('enables publishing only once approved', () => {
    expect(revisionActions(revision('approved', 'o1'), organizer)).toMatchObject({
      editable: false,
      canPublish: true,
      canWithdraw: true,
    });
    expect(revisionActions(revision('published', 'o1'), organizer)).toMatchObject({
      showPublish: false,
      canPublish: false,
      canWithdraw: false,
    });
  });

  it('lets a leader decide a submitted revision, unless the leader submitted it', () => {
    expect(revisionActions(revision('submitted', 'o1'), leader)).toMatchObject({
      canDecide: true,
      ownSubmission: false,
      editable: false,
      showPublish: false,
    });
    expect(revisionActions(revision('submitted', 'l1'), leader)).toMatchObject({
      canDecide: false,
      ownSubmission: true,
    });
    expect(revisionActions(revision('draft'), leader).canDecide).toBe(false);
    expect(revisionActions(revision('approved', 'o1'), leader).canDecide).toBe(false);
  });

  it('shows the return note only while the returned revision is a draft again', () => {
    expect(revisionActions(revision('draft', 'o1', '请补充依据'), organizer).showReturnNote).toBe(true);
    expect(revisionActions(revision('submitted', 'o1', '请补充依据'), organizer).showReturnNote).toBe(false);
  });

  it('gives a liaison nothing to do', () => {
    const actions = revisionActions(revision('submitted', 'o1'), { id: 'x', roles: ['liaison'] });
    expect(Object.entries(actions).filter(([, v]) => v)).toEqual([]);
  });
});

describe('clauseLabel', () => {
  it('joins the path and the heading', () => {
    expect(clauseLabel({ path: '第一章/第二条', number: '第二条', heading: '目标' })).toBe(
      '第一章/第二条 目标',
    );
    expect(clauseLabel({ path: '', number: '（一）', heading: null })).toBe('（一）');
    expect(clauseLabel({ path: '', number: null, heading: null })).toBe('—');
  });
});
