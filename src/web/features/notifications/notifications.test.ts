import { describe, expect, it } from 'vitest';
import type { RobotDraft } from './notifications.ts';
import {
  groupByDay,
  isNotificationKind,
  kindColor,
  kindLabelKey,
  missingRobotFields,
  NOTIFICATION_KINDS,
  notificationPath,
  readUnreadEvent,
  robotInputs,
} from './notifications.ts';
import * as messages from '../../i18n/areas/notifications.ts';

describe('kinds', () => {
  it('has the twelve kinds of the server, each with a colour and a label in both languages', () => {
    expect(NOTIFICATION_KINDS).toHaveLength(12);
    for (const kind of NOTIFICATION_KINDS) {
      expect(kindColor[kind]).toBeTypeOf('string');
      expect(kindLabelKey(kind)).toBe(`notifications.kinds.${kind}`);
      expect(messages.zhCN.kinds[kind]).toMatch(/\S/);
      expect(messages.en.kinds[kind]).toMatch(/\S/);
    }
    expect(messages.zhCN.kinds.reminder).toBe('督办提醒');
  });

  it('recognises only known kinds', () => {
    expect(isNotificationKind('mentioned')).toBe(true);
    expect(isNotificationKind('mention')).toBe(false);
    expect(isNotificationKind(3)).toBe(false);
  });
});

describe('notificationPath', () => {
  const organizer = ['organizer'];
  const liaison = ['liaison'];

  it('sends a unit to its inbox for a round it is asked about, the plan side to the round', () => {
    const invited = { kind: 'invited' as const, link: '/rounds/r1' };
    expect(notificationPath(invited, liaison)).toBe('/inbox');
    expect(notificationPath(invited, ['unit_head'])).toBe('/inbox');
    expect(notificationPath(invited, organizer)).toBe('/rounds/r1');
    expect(notificationPath({ kind: 'reminder', link: '/rounds/r1' }, liaison)).toBe('/inbox');
  });

  it('maps server paths to the pages of the app', () => {
    expect(notificationPath({ kind: 'expert_consultation', link: '/consultations/c1' }, ['expert'])).toBe(
      '/expert/consultations/c1',
    );
    expect(
      notificationPath({ kind: 'objection_received', link: '/rounds/r1/objections/o1' }, organizer),
    ).toBe('/rounds/r1');
    expect(notificationPath({ kind: 'feedback_received', link: '/feedback/f1' }, liaison)).toBe(
      '/feedback/f1',
    );
    expect(notificationPath({ kind: 'conflict_escalated', link: '/conflicts/k1?x=1' }, organizer)).toBe(
      '/conflicts/k1',
    );
  });

  it('leads a mention to the discussion: the conflict page, or the plan workspace with the clause open', () => {
    const mention = (link: string) => ({ kind: 'mentioned' as const, link });
    expect(notificationPath(mention('/conflicts/k1'), liaison)).toBe('/conflicts/k1');
    expect(notificationPath(mention('/conflicts/k1'), organizer)).toBe('/conflicts/k1');
    expect(notificationPath(mention('/plans/p1?clause=c1'), organizer)).toBe('/plans/p1?clause=c1');
    expect(notificationPath(mention('/plans/p1?clause=c1'), ['leader'])).toBe('/plans/p1?clause=c1');
    expect(notificationPath(mention('/plans/p1?clause=c1'), ['admin', 'liaison'])).toBe(
      '/plans/p1?clause=c1',
    );
    // Only the clause is kept, encoded again; other parameters and the fragment are dropped.
    expect(notificationPath(mention('/plans/p1?x=1&clause=a%20b%26c#top'), organizer)).toBe(
      '/plans/p1?clause=a+b%26c',
    );
    // A plan without a clause, or with an empty one, is the workspace as before.
    expect(notificationPath(mention('/plans/p1?clause='), organizer)).toBe('/plans/p1');
    expect(notificationPath(mention('/plans/p1?x=1'), organizer)).toBe('/plans/p1');
  });

  it('sends no unit or expert to the plan workspace for a clause thread', () => {
    const clauseThread = { kind: 'mentioned' as const, link: '/plans/p1?clause=c1' };
    expect(notificationPath(clauseThread, liaison)).toBeNull();
    expect(notificationPath(clauseThread, ['unit_head'])).toBeNull();
    expect(notificationPath(clauseThread, ['expert'])).toBeNull();
    expect(notificationPath(clauseThread, [])).toBeNull();
  });

  it('keeps refusing hostile links that carry a clause', () => {
    const mention = (link: string) => ({ kind: 'mentioned' as const, link });
    for (const link of [
      '//evil.example/plans/p1?clause=c1',
      '/\\evil.example/plans/p1?clause=c1',
      'https://evil.example/plans/p1?clause=c1',
      'javascript:alert(1)//plans/p1?clause=c1',
      ' /plans/p1?clause=c1',
      '/plans/p1/../../x?clause=c1',
      '/plans/p1/rounds?clause=c1',
    ]) {
      expect(notificationPath(mention(link), organizer), link).toBeNull();
    }
  });

  it('leads nowhere for a path the app has no page for, or anything not a path of the app', () => {
    expect(notificationPath({ kind: 'mentioned', link: '/threads/t1' }, liaison)).toBeNull();
    expect(notificationPath({ kind: 'mentioned', link: null }, liaison)).toBeNull();
    expect(notificationPath({ kind: 'mentioned', link: '//evil.example/feedback/1' }, liaison)).toBeNull();
    expect(
      notificationPath({ kind: 'mentioned', link: 'https://evil.example/feedback/1' }, liaison),
    ).toBeNull();
    expect(notificationPath({ kind: 'mentioned', link: 'javascript:alert(1)' }, liaison)).toBeNull();
  });
});

describe('readUnreadEvent', () => {
  it('reads the count of an arrival and of a read', () => {
    expect(readUnreadEvent({ type: 'notification', kind: 'invited', unread: 3 })).toEqual({
      unread: 3,
      arrived: true,
    });
    expect(readUnreadEvent({ type: 'notification.read', unread: 0 })).toEqual({ unread: 0, arrived: false });
  });

  it('ignores other events of the channel and malformed counts', () => {
    expect(readUnreadEvent({ kind: 'mention', threadId: 't1' })).toBeNull();
    expect(readUnreadEvent({ type: 'notification', unread: '3' })).toBeNull();
    expect(readUnreadEvent({ type: 'notification', unread: -1 })).toBeNull();
    expect(readUnreadEvent({ type: 'notification', unread: 1.5 })).toBeNull();
    expect(readUnreadEvent(null)).toBeNull();
    expect(readUnreadEvent('notification')).toBeNull();
  });
});

describe('groupByDay', () => {
  // TZ=UTC in tests: local days are UTC days.
  const now = new Date('2026-03-04T10:00:00Z');
  const at = (createdAt: string) => ({ id: createdAt, createdAt });

  it('groups newest first into today, yesterday and earlier, leaving out empty groups', () => {
    const items = [
      at('2026-03-04T09:00:00Z'),
      at('2026-03-04T00:00:00Z'),
      at('2026-03-03T23:59:59Z'),
      at('2026-03-03T00:00:00Z'),
      at('2026-03-02T23:59:59Z'),
      at('2025-12-31T12:00:00Z'),
    ];
    expect(groupByDay(items, now).map((g) => [g.group, g.items.map((i) => i.createdAt)])).toEqual([
      ['today', ['2026-03-04T09:00:00Z', '2026-03-04T00:00:00Z']],
      ['yesterday', ['2026-03-03T23:59:59Z', '2026-03-03T00:00:00Z']],
      ['earlier', ['2026-03-02T23:59:59Z', '2025-12-31T12:00:00Z']],
    ]);
    expect(groupByDay([at('2026-03-01T00:00:00Z')], now).map((g) => g.group)).toEqual(['earlier']);
    expect(groupByDay([], now)).toEqual([]);
  });
});

describe('robot settings', () => {
  const saved: RobotDraft = {
    key: 'w1',
    id: 'w1',
    provider: 'dingtalk',
    name: '办公室群',
    url: '',
    savedUrl: 'https://oapi.dingtalk.com/robot/send',
    hasSecret: true,
    secret: '',
    clearSecret: false,
    enabled: true,
  };
  const fresh: RobotDraft = {
    ...saved,
    key: 'new-1',
    id: undefined,
    provider: 'wecom',
    name: ' 值班群 ',
    url: ' https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k ',
    savedUrl: null,
    hasSecret: false,
  };

  it('keeps a saved robot’s address and secret unless new ones are typed', () => {
    expect(robotInputs([saved])).toEqual([
      { id: 'w1', provider: 'dingtalk', name: '办公室群', enabled: true },
    ]);
    expect(
      robotInputs([
        { ...saved, url: 'https://oapi.dingtalk.com/robot/send?access_token=new', secret: ' SECx ' },
      ]),
    ).toEqual([
      {
        id: 'w1',
        provider: 'dingtalk',
        name: '办公室群',
        url: 'https://oapi.dingtalk.com/robot/send?access_token=new',
        secret: 'SECx',
        enabled: true,
      },
    ]);
  });

  it('removes a stored secret only when asked and no new one is typed', () => {
    expect(robotInputs([{ ...saved, clearSecret: true }])[0]).toMatchObject({ secret: null });
    expect(robotInputs([{ ...saved, clearSecret: true, secret: 'SECy' }])[0]).toMatchObject({
      secret: 'SECy',
    });
    expect(robotInputs([{ ...saved, hasSecret: false, clearSecret: true }])[0]).not.toHaveProperty('secret');
  });

  it('sends a new robot with its trimmed address and no id', () => {
    expect(robotInputs([fresh])).toEqual([
      {
        provider: 'wecom',
        name: '值班群',
        url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k',
        enabled: true,
      },
    ]);
  });

  it('asks a new robot for its name and address, a saved one only for its name', () => {
    expect(missingRobotFields(saved)).toEqual([]);
    expect(missingRobotFields({ ...saved, name: '  ' })).toEqual(['name']);
    expect(missingRobotFields({ ...fresh, name: '', url: '' })).toEqual(['name', 'url']);
    expect(missingRobotFields(fresh)).toEqual([]);
  });
});
