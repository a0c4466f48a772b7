import type { InfiniteData } from '@tanstack/react-query';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api } from '../../api.ts';
import type { NotificationKind, RobotInput, WebhookProvider } from './notifications.ts';
import { readUnreadEvent } from './notifications.ts';

/* Notifications as the server's notification routes shape them. */

export type { NotificationKind, WebhookProvider } from './notifications.ts';

export interface Bilingual {
  zh: string;
  en: string;
}

export interface Notification {
  id: string;
  kind: NotificationKind;
  subject: Bilingual;
  body: Bilingual;
  link: string | null;
  entity: { kind: string; id: string } | null;
  readAt: string | null;
  createdAt: string;
}

export interface NotificationPage {
  items: Notification[];
  total: number;
  unread: number;
}

export type DigestMode = 'none' | 'daily';
export type NotificationLocale = 'zh' | 'en';

export interface KindPreference {
  kind: NotificationKind;
  inApp: boolean;
  email: boolean;
}

export interface Preferences {
  digest: DigestMode;
  locale: NotificationLocale;
  kinds: KindPreference[];
}

export interface Webhook {
  id: string;
  provider: WebhookProvider;
  name: string;
  /** Without its query string, which may hold a key. */
  url: string;
  hasSecret: boolean;
  enabled: boolean;
}

export interface UnitSettings {
  unitId: string;
  digest: DigestMode;
  locale: NotificationLocale;
  webhookKinds: NotificationKind[];
  webhooks: Webhook[];
}

export interface UnitSettingsInput {
  digest?: DigestMode;
  locale?: NotificationLocale;
  webhookKinds?: NotificationKind[];
  webhooks?: RobotInput[];
}

export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'dead';
export const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['dead', 'failed', 'pending', 'sending', 'sent'];

export interface Delivery {
  id: string;
  channel: 'email' | 'webhook';
  /** The e-mail address, or the robot's id. */
  target: string;
  kind: NotificationKind;
  userId: string | null;
  unitId: string | null;
  subject: string;
  digest: boolean;
  status: DeliveryStatus;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  sentAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Notifications fetched per page of the inbox. */
export const NOTIFICATION_PAGE = 50;

export const notificationKeys = {
  all: ['notifications'] as const,
  unread: ['notifications', 'unread'] as const,
  lists: ['notifications', 'list'] as const,
  list: (unreadOnly: boolean) => ['notifications', 'list', { unreadOnly }] as const,
  preferences: ['notifications', 'preferences'] as const,
  unit: (unitId: string) => ['notifications', 'unit', unitId] as const,
  deliveries: (status: DeliveryStatus | null) => ['notifications', 'deliveries', status] as const,
};

/** The unread count the bell shows; live events keep it current between fetches. */
export function useUnreadCount(enabled = true) {
  return useQuery({
    queryKey: notificationKeys.unread,
    queryFn: async () => (await api<NotificationPage>('/me/notifications?limit=1')).unread,
    enabled,
    staleTime: 60_000,
  });
}

export function useNotifications(unreadOnly: boolean) {
  return useInfiniteQuery({
    queryKey: notificationKeys.list(unreadOnly),
    initialPageParam: 0,
    queryFn: ({ pageParam }) =>
      api<NotificationPage>(
        `/me/notifications?limit=${NOTIFICATION_PAGE}&offset=${pageParam}${unreadOnly ? '&unread=true' : ''}`,
      ),
    getNextPageParam: (last, pages) => {
      const loaded = pages.reduce((n, page) => n + page.items.length, 0);
      return last.items.length > 0 && loaded < last.total ? loaded : undefined;
    },
  });
}

/** Marks notifications read (some by id, or all): the count comes back with the answer. */
export function useMarkRead() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { ids: string[] } | { all: true }) =>
      api<{ updated: number; unread: number }>('/me/notifications/read', { method: 'POST', body: input }),
    onSuccess: (result, input) => {
      client.setQueryData(notificationKeys.unread, result.unread);
      const readAt = new Date().toISOString();
      const ids = 'ids' in input ? new Set(input.ids) : null;
      // Marked at once in every loaded page; a refetch then brings the server's own times.
      client.setQueriesData<InfiniteData<NotificationPage>>({ queryKey: notificationKeys.lists }, (data) =>
        data
          ? {
              ...data,
              pages: data.pages.map((page) => ({
                ...page,
                unread: result.unread,
                items: page.items.map((n) =>
                  n.readAt === null && (ids === null || ids.has(n.id)) ? { ...n, readAt } : n,
                ),
              })),
            }
          : data,
      );
      void client.invalidateQueries({ queryKey: notificationKeys.lists });
    },
  });
}

/**
 * Follows the user's live channel (server-sent events): a notification arriving or read elsewhere sets the
 * unread count in the cache, so the bell changes without reloading, and refreshes the inbox list. After a
 * dropped connection the browser reconnects by itself; the count is fetched again then, for what was missed.
 */
export function useLiveUnread(userId: string | undefined): void {
  const client = useQueryClient();
  useEffect(() => {
    if (!userId || typeof EventSource === 'undefined') {
      return undefined;
    }
    const channel = `user:${userId}`;
    const source = new EventSource(`/api/v1/events?channel=${encodeURIComponent(channel)}`, {
      withCredentials: true,
    });
    let wasLive = false;
    source.addEventListener('ready', () => {
      if (wasLive) {
        void client.invalidateQueries({ queryKey: notificationKeys.unread });
        void client.invalidateQueries({ queryKey: notificationKeys.lists });
      }
      wasLive = true;
    });
    source.onmessage = (event: MessageEvent<string>) => {
      let data: unknown;
      try {
        data = JSON.parse(event.data);
      } catch {
        return; // a malformed event is ignored: the next fetch corrects the count
      }
      const change = readUnreadEvent(data);
      if (!change) {
        return;
      }
      client.setQueryData(notificationKeys.unread, change.unread);
      if (change.arrived) {
        void client.invalidateQueries({ queryKey: notificationKeys.lists });
      }
    };
    return () => source.close();
  }, [userId, client]);
}

export function usePreferences() {
  return useQuery({
    queryKey: notificationKeys.preferences,
    queryFn: () => api<Preferences>('/me/notification-preferences'),
  });
}

export function useSavePreferences() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: Partial<Preferences>) =>
      api<Preferences>('/me/notification-preferences', { method: 'PUT', body: input }),
    onSuccess: (saved) => client.setQueryData(notificationKeys.preferences, saved),
  });
}

export function useUnitSettings(unitId: string | null) {
  return useQuery({
    queryKey: notificationKeys.unit(unitId ?? ''),
    queryFn: () => api<UnitSettings>(`/units/${encodeURIComponent(unitId ?? '')}/notification-settings`),
    enabled: Boolean(unitId),
  });
}

export function useSaveUnitSettings(unitId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: UnitSettingsInput) =>
      api<UnitSettings>(`/units/${encodeURIComponent(unitId)}/notification-settings`, {
        method: 'PUT',
        body: input,
      }),
    onSuccess: (saved) => client.setQueryData(notificationKeys.unit(unitId), saved),
  });
}

export function useDeliveries(status: DeliveryStatus | null) {
  return useQuery({
    queryKey: notificationKeys.deliveries(status),
    queryFn: () =>
      api<Delivery[]>(`/admin/notification-deliveries?limit=200${status ? `&status=${status}` : ''}`),
  });
}

export function useRetryDelivery() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      api<Delivery>(`/admin/notification-deliveries/${encodeURIComponent(id)}/retry`, { method: 'POST' }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['notifications', 'deliveries'] }),
  });
}
