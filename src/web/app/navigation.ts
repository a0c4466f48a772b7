/** Where each role works: its home page and the menu entries it sees. The server still checks every call. */
export interface NavItem {
  path: string;
  /** i18n key of the label. */
  label: string;
}

const has = (roles: readonly string[], ...wanted: string[]) => wanted.some((r) => roles.includes(r));

/** Organizers and administrators land on the plans, leaders on their dashboard, units on their inbox. */
export function homeOf(roles: readonly string[]): string {
  if (has(roles, 'organizer', 'admin')) {
    return '/plans';
  }
  return has(roles, 'leader') ? '/dashboard' : '/inbox';
}

export function navItems(roles: readonly string[]): NavItem[] {
  const items: NavItem[] = [];
  if (has(roles, 'leader')) {
    items.push(
      { path: '/dashboard', label: 'nav.dashboard' },
      { path: '/approvals', label: 'nav.approvals' },
    );
  }
  if (has(roles, 'organizer', 'leader', 'admin')) {
    items.push({ path: '/plans', label: 'nav.plans' });
  }
  if (has(roles, 'liaison', 'unit_head', 'expert')) {
    items.push({ path: '/inbox', label: 'nav.inbox' });
  }
  if (has(roles, 'admin')) {
    items.push(
      { path: '/admin/units', label: 'nav.units' },
      { path: '/admin/users', label: 'nav.users' },
      { path: '/admin/calendar', label: 'nav.calendar' },
    );
  }
  return items;
}

/** The menu entry a location belongs to: the longest item path that prefixes it. */
export function selectedNav(items: readonly NavItem[], pathname: string): string | undefined {
  return items
    .filter((i) => pathname === i.path || pathname.startsWith(`${i.path}/`))
    .sort((a, b) => b.path.length - a.path.length)[0]?.path;
}
