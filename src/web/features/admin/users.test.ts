import { describe, expect, it } from 'vitest';
import { ROLES as SERVER_ROLES } from '../../../server/db/schema.ts';
import { MIN_PASSWORD_LENGTH as SERVER_MIN } from '../../../server/services/auth.service.ts';
import type { UserLike } from './users.ts';
import { accountStates, isLocked, LOGIN_PATTERN, MIN_PASSWORD_LENGTH, ROLES, searchUsers } from './users.ts';

const now = new Date('2026-05-01T08:00:00Z');
const user = (extra: Partial<UserLike> = {}): UserLike => ({
  login: 'zhang.san',
  name: '张三',
  email: 'zhang@example.gov.cn',
  status: 'active',
  lockedUntil: null,
  mustChangePassword: false,
  ...extra,
});

describe('account state', () => {
  it('is locked only until the lock expires', () => {
    expect(isLocked(user({ lockedUntil: '2026-05-01T08:10:00Z' }), now)).toBe(true);
    expect(isLocked(user({ lockedUntil: '2026-05-01T07:59:00Z' }), now)).toBe(false);
    expect(isLocked(user(), now)).toBe(false);
  });

  it('lists the states worth showing, most serious first', () => {
    expect(accountStates(user(), now)).toEqual(['active']);
    expect(
      accountStates(
        user({ status: 'disabled', lockedUntil: '2026-05-02T00:00:00Z', mustChangePassword: true }),
        now,
      ),
    ).toEqual(['disabled', 'locked', 'mustChangePassword']);
    expect(accountStates(user({ mustChangePassword: true }), now)).toEqual(['mustChangePassword']);
  });
});

describe('searchUsers', () => {
  const users = [
    user(),
    user({ login: 'li.si', name: '李四', email: null }),
    user({ login: 'wang', name: 'Wang Wu', email: 'WW@x.cn' }),
  ];

  it('matches login, name and email, ignoring case', () => {
    expect(searchUsers(users, '张').map((u) => u.login)).toEqual(['zhang.san']);
    expect(searchUsers(users, 'LI.').map((u) => u.login)).toEqual(['li.si']);
    expect(searchUsers(users, 'ww@').map((u) => u.login)).toEqual(['wang']);
    expect(searchUsers(users, ' ')).toHaveLength(3);
    expect(searchUsers(users, 'nobody')).toEqual([]);
  });
});

describe('rules shared with the server', () => {
  it('knows the same roles and password minimum', () => {
    expect([...ROLES].sort()).toEqual([...SERVER_ROLES].sort());
    expect(MIN_PASSWORD_LENGTH).toBe(SERVER_MIN);
  });

  it('accepts the same login names', () => {
    expect(LOGIN_PATTERN.test('zhang.san@fgw')).toBe(true);
    expect(LOGIN_PATTERN.test('张三')).toBe(false);
    expect(LOGIN_PATTERN.test('a')).toBe(false);
  });
});
