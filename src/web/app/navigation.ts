/** Where each role works: its home page and the menu entries it sees. The server still checks every call. */
export interface NavItem {
  path: string;
  /** i18n key of the label. */
  label: string;
}

const has = (roles: readonly string[], ...wanted: string[]) => wanted.some((r) => roles.includes(r));

/**
 * Organizers and administrators land on the plans, leaders on their dashboard, units on their inbox,
 * experts on the consultations sent to them.
 */
export function homeOf(roles: readonly string[]): string {
  if (has(roles, 'organizer', 'admin')) {
    return '/plans';
  }
  if (has(roles, 'leader')) {
    return '/dashboard';
  }
  return has(roles, 'liaison', 'unit_head') || !has(roles, 'expert') ? '/inbox' : '/expert';
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
  if (has(roles, 'liaison', 'unit_head')) {
    items.push({ path: '/inbox', label: 'nav.inbox' });
  }
  if (has(roles, 'expert')) {
    items.push({ path: '/expert', label: 'integration.nav.expert' });
  }
  if (has(roles, 'organizer', 'leader', 'admin', 'liaison', 'unit_head')) {
    items.push({ path: '/library', label: 'integration.nav.library' });
  }
  if (has(roles, 'organizer', 'leader', 'admin')) {
    items.push({ path: '/assessment', label: 'unitAssessment.nav' });
  }
  if (has(roles, 'admin')) {
    items.push(
      { path: '/admin/units', label: 'nav.units' },
      { path: '/admin/users', label: 'nav.users' },
      { path: '/admin/calendar', label: 'nav.calendar' },
      { path: '/admin/deliveries', label: 'notifications.nav.deliveries' },
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
