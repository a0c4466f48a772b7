import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../api.ts';

export type Role = 'admin' | 'organizer' | 'leader' | 'liaison' | 'unit_head' | 'expert';

export interface Me {
  id: string;
  login: string;
  name: string;
  unitId: string | null;
  roles: Role[];
  mustChangePassword: boolean;
}

/** The signed-in user, or null when nobody is signed in. */
export function useMe() {
  return useQuery({
    queryKey: ['me'],
    queryFn: async () => {
      try {
        return await api<Me>('/auth/me');
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) {
          return null;
        }
        throw error;
      }
    },
    staleTime: 60_000,
  });
}

export function useAuthActions() {
  const client = useQueryClient();
  return {
    signIn: async (login: string, password: string): Promise<void> => {
      await api('/auth/login', { method: 'POST', body: { login, password } });
      await client.invalidateQueries();
    },
    signOut: async (): Promise<void> => {
      await api('/auth/logout', { method: 'POST' });
      // Nobody is signed in now, and nothing fetched for the last user may linger.
      client.setQueryData(['me'], null);
      client.removeQueries({ predicate: (query) => query.queryKey[0] !== 'me' });
    },
    changePassword: async (currentPassword: string, newPassword: string): Promise<void> => {
      await api('/auth/password', { method: 'POST', body: { currentPassword, newPassword } });
      await client.invalidateQueries({ queryKey: ['me'] });
    },
  };
}
