import { describe, expect, it } from 'vitest';
import type { ThreadAccess } from '../src/server/policies/discussion.policy.ts';
import {
  MESSAGE_EDIT_WINDOW_MS,
  canReadThread,
  messageChangeRefusal,
} from '../src/server/policies/discussion.policy.ts';
import { resolveMentions } from '../src/server/services/discussion.service.ts';
import type { Actor } from '../src/server/services/context.ts';

/* The pure rules of discussion: who reads a thread, who changes a message, how mentions are found. */

const people = [
  { id: 'u1', login: 'zhang.san', name: '张三' },
  { id: 'u2', login: 'zhangsanfeng', name: '张三丰' },
  { id: 'u3', login: 'ann', name: 'Ann Lee' },
  { id: 'u4', login: 'anna', name: 'Anna' },
  { id: 'u5', login: 'li-si', name: '李四' },
];

describe('resolveMentions', () => {
  it('finds logins and names in Chinese text that runs on without spaces', () => {
    expect(resolveMentions('@张三请看第二条，@张三丰也请看。', people)).toEqual({
      userIds: ['u1', 'u2'],
      dropped: [],
    });
    expect(resolveMentions('请@李四核实', people).userIds).toEqual(['u5']);
  });

  it('matches logins in any case and Latin names only at a word boundary', () => {
    expect(resolveMentions('@ANN and @anna, please check. cc @Ann Lee', people)).toEqual({
      userIds: ['u3', 'u4'],
      dropped: [],
    });
    expect(resolveMentions('ping @annabel', people)).toEqual({ userIds: [], dropped: ['annabel'] });
    expect(resolveMentions('thanks @zhang.san.', people).userIds).toEqual(['u1']);
  });

  it('ignores e-mail addresses and a bare @, and reports unknown mentions once', () => {
    expect(resolveMentions('write to zhang.san@example.cn or @ alone', people)).toEqual({
      userIds: [],
      dropped: [],
    });
    expect(resolveMentions('@王五 @王五 @nobody', people)).toEqual({
      userIds: [],
      dropped: ['王五', 'nobody'],
    });
  });

  it('handles empty text, one character, emoji and mixed scripts', () => {
    expect(resolveMentions('', people)).toEqual({ userIds: [], dropped: [] });
    expect(resolveMentions('@', people)).toEqual({ userIds: [], dropped: [] });
    expect(resolveMentions('好', people)).toEqual({ userIds: [], dropped: [] });
    expect(resolveMentions('👍@张三👍 @😀', people)).toEqual({ userIds: ['u1'], dropped: [] });
    expect(resolveMentions('OK@li-si，数据见附件 @Anna🙂', people).userIds).toEqual(['u4']);
    expect(resolveMentions('数据@li-si，见附件', people).userIds).toEqual(['u5']);
  });

  it('scans a 100 KB text', () => {
    const text = `${'规划目标 target 12% '.repeat(6000)}@张三 ${'@nobody '.repeat(500)}`;
    expect(Buffer.byteLength(text)).toBeGreaterThan(100 * 1024);
    const result = resolveMentions(text, people);
    expect(result).toEqual({ userIds: ['u1'], dropped: ['nobody'] });
  });
});

const plan = { ownerUnitId: 'plan-unit', ownerUnitLineage: ['plan-unit', 'province'] };
const actor = (overrides: Partial<Actor>): Actor => ({
  userId: 'u',
  login: 'u',
  name: 'u',
  roles: ['liaison'],
  unitId: 'unit-a',
  via: 'session',
  ...overrides,
});
const access = (overrides: Partial<ThreadAccess>): ThreadAccess => ({
  plan,
  round: { status: 'open', visibility: 'always' },
  actorUnitInvited: true,
  subject: { kind: 'clause' },
  ...overrides,
});

describe('canReadThread', () => {
  it('lets the plan’s side read every thread, even of a round in draft', () => {
    const organizer = actor({ roles: ['organizer'], unitId: 'plan-unit' });
    const leaderAbove = actor({ roles: ['leader'], unitId: 'province' });
    const hidden = access({ round: { status: 'draft', visibility: 'never' }, actorUnitInvited: false });
    expect(canReadThread(organizer, hidden)).toBe(true);
    expect(canReadThread(leaderAbove, hidden)).toBe(true);
    expect(canReadThread(actor({ roles: ['admin'], unitId: null }), hidden)).toBe(true);
  });

  it('follows the round’s visibility for invited units on clause threads', () => {
    const unit = actor({});
    expect(canReadThread(unit, access({}))).toBe(true);
    expect(canReadThread(unit, access({ actorUnitInvited: false }))).toBe(false);
    expect(canReadThread(unit, access({ round: { status: 'open', visibility: 'after_close' } }))).toBe(false);
    expect(canReadThread(unit, access({ round: { status: 'closed', visibility: 'after_close' } }))).toBe(
      true,
    );
    expect(canReadThread(unit, access({ round: { status: 'closed', visibility: 'never' } }))).toBe(false);
    expect(canReadThread(unit, access({ round: { status: 'draft', visibility: 'always' } }))).toBe(false);
  });

  it('opens conflict threads to the parties only', () => {
    const conflict = { kind: 'conflict', partyUnitIds: ['unit-a', 'unit-b'] } as const;
    const hidden = { status: 'open', visibility: 'never' } as const;
    expect(canReadThread(actor({}), access({ subject: conflict, round: hidden }))).toBe(true);
    expect(canReadThread(actor({ unitId: 'unit-c' }), access({ subject: conflict }))).toBe(false);
    expect(canReadThread(actor({ unitId: null }), access({ subject: conflict }))).toBe(false);
  });
});

describe('messageChangeRefusal', () => {
  const posted = '2026-03-02T08:00:00.000Z';
  const message = { authorId: 'u', createdAt: posted, deletedAt: null };
  const at = (ms: number): Date => new Date(new Date(posted).getTime() + ms);

  it('lets the author change a message within the window only', () => {
    expect(messageChangeRefusal(actor({}), message, at(1000))).toBeNull();
    expect(messageChangeRefusal(actor({}), message, at(MESSAGE_EDIT_WINDOW_MS))).toBeNull();
    expect(messageChangeRefusal(actor({}), message, at(MESSAGE_EDIT_WINDOW_MS + 1))).toBe('window_passed');
    expect(messageChangeRefusal(actor({ userId: 'other' }), message, at(0))).toBe('not_author');
    expect(messageChangeRefusal(actor({ userId: null }), { ...message, authorId: null }, at(0))).toBe(
      'not_author',
    );
    expect(messageChangeRefusal(actor({}), { ...message, deletedAt: posted }, at(0))).toBe('deleted');
  });
});
