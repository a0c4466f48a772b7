/** Pure helpers of the accounts page: an account's state, and the text search of the list. */

export type Role = 'admin' | 'organizer' | 'leader' | 'liaison' | 'unit_head' | 'expert';

export const ROLES: readonly Role[] = ['admin', 'organizer', 'leader', 'liaison', 'unit_head', 'expert'];

export interface UserLike {
  login: string;
  name: string;
  email: string | null;
  status: 'active' | 'disabled';
  lockedUntil: string | null;
  mustChangePassword: boolean;
}

/** Locked after repeated failed sign-ins, until `lockedUntil`. */
export function isLocked(user: Pick<UserLike, 'lockedUntil'>, now: Date): boolean {
  return user.lockedUntil !== null && Date.parse(user.lockedUntil) > now.getTime();
}

export type AccountState = 'disabled' | 'locked' | 'mustChangePassword' | 'active';

/** The states worth showing, most serious first. */
export function accountStates(user: UserLike, now: Date): AccountState[] {
  const states: AccountState[] = [];
  if (user.status === 'disabled') {
    states.push('disabled');
  }
  if (isLocked(user, now)) {
    states.push('locked');
  }
  if (user.mustChangePassword) {
    states.push('mustChangePassword');
  }
  return states.length > 0 ? states : ['active'];
}

/** The accounts whose login, name or email contain the text (case-insensitive); all for blank text. */
export function searchUsers<U extends UserLike>(users: readonly U[], text: string): U[] {
  const needle = text.trim().toLowerCase();
  if (needle === '') {
    return [...users];
  }
  return users.filter((u) =>
    [u.login, u.name, u.email ?? ''].some((value) => value.toLowerCase().includes(needle)),
  );
}

/** Login names the server accepts: 2–64 letters, digits or . _ @ -. */
export const LOGIN_PATTERN = /^[A-Za-z0-9._@-]{2,64}$/;

/** The shortest password the server accepts. */
export const MIN_PASSWORD_LENGTH = 10;
