import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api } from '../../api.ts';
import { mergeMessages } from './messages.ts';

/* Discussion threads (讨论) on a clause or a conflict, as the server's discussion routes shape them. */

export interface Thread {
  id: string;
  roundId: string;
  clauseStableId: string | null;
  conflictId: string | null;
  title: string;
  createdBy: string | null;
  createdAt: string;
  lastMessageAt: string | null;
  messageCount: number;
  lastSeq: number;
  channel: string;
  lastReadSeq: number;
  unreadCount: number;
}

export interface Message {
  id: string;
  threadId: string;
  seq: number;
  authorId: string | null;
  authorName: string | null;
  authorUnitId: string | null;
  body: string;
  mentions: { userId: string; login: string; name: string }[];
  createdAt: string;
  editedAt: string | null;
  deletedAt: string | null;
}

export interface ThreadPage {
  thread: Thread;
  messages: Message[];
  hasMore: boolean;
}

export interface Person {
  id: string;
  login: string;
  name: string;
  unitId: string | null;
}

export type ThreadSubject = { clauseStableId: string } | { conflictId: string };

const subjectQuery = (subject: ThreadSubject) =>
  'clauseStableId' in subject
    ? `clause=${encodeURIComponent(subject.clauseStableId)}`
    : `conflict=${encodeURIComponent(subject.conflictId)}`;

export const discussionKeys = {
  threads: (roundId: string, subject: ThreadSubject) => ['discussion', 'threads', roundId, subject] as const,
  thread: (threadId: string) => ['discussion', 'thread', threadId] as const,
  people: (threadId: string) => ['discussion', 'people', threadId] as const,
};

export function useThreads(roundId: string | undefined, subject: ThreadSubject) {
  return useQuery({
    queryKey: discussionKeys.threads(roundId ?? '', subject),
    queryFn: () => api<Thread[]>(`/rounds/${roundId}/threads?${subjectQuery(subject)}`),
    enabled: Boolean(roundId),
  });
}

export function useCreateThread(roundId: string, subject: ThreadSubject) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (title: string) =>
      api<Thread>(`/rounds/${roundId}/threads`, { method: 'POST', body: { title, ...subject } }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['discussion', 'threads', roundId] }),
  });
}

/** Messages fetched per page. */
export const MESSAGE_PAGE = 50;

export function useThread(threadId: string) {
  return useQuery({
    queryKey: discussionKeys.thread(threadId),
    queryFn: () => api<ThreadPage>(`/threads/${threadId}?limit=${MESSAGE_PAGE}`),
  });
}

/** Older messages, prepended to the page in the cache. */
export function useLoadOlder(threadId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (before: number) =>
      api<ThreadPage>(`/threads/${threadId}?before=${before}&limit=${MESSAGE_PAGE}`),
    onSuccess: (older) =>
      client.setQueryData<ThreadPage>(discussionKeys.thread(threadId), (page) =>
        page
          ? { ...page, messages: mergeMessages(older.messages, page.messages), hasMore: older.hasMore }
          : page,
      ),
  });
}

export function usePeople(threadId: string) {
  return useQuery({
    queryKey: discussionKeys.people(threadId),
    queryFn: () => api<Person[]>(`/threads/${threadId}/people`),
    staleTime: 60_000,
  });
}

function addMessages(client: ReturnType<typeof useQueryClient>, threadId: string, messages: Message[]) {
  client.setQueryData<ThreadPage>(discussionKeys.thread(threadId), (page) =>
    page
      ? {
          ...page,
          messages: mergeMessages(page.messages, messages),
          thread: {
            ...page.thread,
            lastSeq: Math.max(page.thread.lastSeq, ...messages.map((m) => m.seq)),
          },
        }
      : page,
  );
}

export function usePostMessage(threadId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: string) =>
      api<{ message: Message; droppedMentions: string[] }>(`/threads/${threadId}/messages`, {
        method: 'POST',
        body: { body },
      }),
    onSuccess: (result) => addMessages(client, threadId, [result.message]),
  });
}

export function useMarkRead(threadId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (seq: number) =>
      api<{ threadId: string; lastReadSeq: number; unreadCount: number }>(`/threads/${threadId}/read`, {
        method: 'POST',
        body: { seq },
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['discussion', 'threads'] }),
  });
}

export type LiveState = 'connecting' | 'live' | 'offline';

/**
 * Follows a thread's live channel (server-sent events): posted, edited and deleted messages go straight
 * into the cached page, so everyone watching sees them without reloading. After a dropped connection the
 * browser reconnects by itself; the page is fetched again then, for what was missed meanwhile.
 */
export function useLiveThread(threadId: string, channel: string | undefined): LiveState {
  const client = useQueryClient();
  const [state, setState] = useState<LiveState>('connecting');
  useEffect(() => {
    if (!channel || typeof EventSource === 'undefined') {
      return undefined;
    }
    const source = new EventSource(`/api/v1/events?channel=${encodeURIComponent(channel)}`, {
      withCredentials: true,
    });
    let wasLive = false;
    source.addEventListener('ready', () => {
      setState('live');
      if (wasLive) {
        void client.invalidateQueries({ queryKey: discussionKeys.thread(threadId) });
      }
      wasLive = true;
    });
    source.onmessage = (event: MessageEvent<string>) => {
      try {
        const data = JSON.parse(event.data) as { kind?: string; message?: Message };
        if (data.message && data.message.threadId === threadId) {
          addMessages(client, threadId, [data.message]);
        }
      } catch {
        // A malformed event is ignored: the next fetch of the page corrects any gap.
      }
    };
    source.onerror = () => setState(source.readyState === EventSource.CLOSED ? 'offline' : 'connecting');
    return () => source.close();
  }, [channel, threadId, client]);
  return state;
}
