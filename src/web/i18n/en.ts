import type { Messages } from './zh-CN.ts';

/** English: complete, switchable at any time. */
export const en: Messages = {
  app: { name: 'Concord', tagline: 'Soliciting and integrating opinions on draft plans' },
  nav: { plans: 'Plans', home: 'Home', signOut: 'Sign out', language: '中文' },
  signIn: {
    title: 'Sign in',
    login: 'Login name',
    password: 'Password',
    submit: 'Sign in',
    required: 'Enter your {{field}}',
    failed: 'Sign-in failed: {{message}}',
  },
  changePassword: {
    title: 'Change your one-time password',
    current: 'Current password',
    next: 'New password',
    submit: 'Save',
    hint: 'Your first sign-in needs a new password.',
  },
  roles: {
    admin: 'Administrator',
    organizer: 'Organizer',
    leader: 'Leader',
    liaison: 'Liaison',
    unit_head: 'Unit head',
    expert: 'Expert',
  },
  plans: { title: 'Plans', empty: 'No plans yet', versions: '{{count}} versions', open: 'Open' },
  common: { loading: 'Loading…', error: 'Something went wrong: {{message}}', retry: 'Retry' },
};
