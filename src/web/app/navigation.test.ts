import { describe, expect, it } from 'vitest';
import { homeOf, navItems, selectedNav } from './navigation.ts';

describe('navigation', () => {
  it('sends each role to its own home', () => {
    expect(homeOf(['organizer'])).toBe('/plans');
    expect(homeOf(['admin'])).toBe('/plans');
    expect(homeOf(['leader'])).toBe('/dashboard');
    expect(homeOf(['leader', 'organizer'])).toBe('/plans');
    expect(homeOf(['liaison'])).toBe('/inbox');
    expect(homeOf(['unit_head'])).toBe('/inbox');
    expect(homeOf(['expert'])).toBe('/expert');
    expect(homeOf(['expert', 'liaison'])).toBe('/inbox');
  });

  it('gives experts their inbox of consultations and the library to units and organizers', () => {
    const paths = (roles: string[]) => navItems(roles).map((i) => i.path);
    expect(paths(['expert'])).toEqual(['/expert']);
    expect(paths(['liaison'])).toContain('/library');
    expect(paths(['organizer'])).toContain('/library');
    expect(paths(['expert'])).not.toContain('/inbox');
  });

  it('shows administration only to administrators and the dashboard only to leaders', () => {
    const paths = (roles: string[]) => navItems(roles).map((i) => i.path);
    expect(paths(['liaison'])).toEqual(['/inbox', '/library']);
    expect(paths(['organizer'])).toEqual(['/plans', '/library', '/assessment']);
    expect(paths(['leader'])).toEqual(['/dashboard', '/approvals', '/plans', '/library', '/assessment']);
    expect(paths(['admin'])).toContain('/admin/users');
    expect(paths(['organizer'])).not.toContain('/admin/users');
    expect(paths(['admin'])).toContain('/admin/deliveries');
    expect(paths(['unit_head'])).not.toContain('/admin/deliveries');
  });

  it('offers unit assessment to leaders, organizers and administrators only', () => {
    const paths = (roles: string[]) => navItems(roles).map((i) => i.path);
    expect(paths(['admin'])).toContain('/assessment');
    expect(paths(['organizer'])).toContain('/assessment');
    expect(paths(['leader'])).toContain('/assessment');
    expect(paths(['liaison'])).not.toContain('/assessment');
    expect(paths(['unit_head'])).not.toContain('/assessment');
    expect(paths(['expert'])).not.toContain('/assessment');
  });

  it('selects the most specific entry for a location', () => {
    const items = navItems(['admin', 'leader']);
    expect(selectedNav(items, '/plans/p1/metrics')).toBe('/plans');
    expect(selectedNav(items, '/admin/units')).toBe('/admin/units');
    expect(selectedNav(items, '/rounds/r1')).toBeUndefined();
  });
});
