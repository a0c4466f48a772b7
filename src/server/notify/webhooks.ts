import { createHmac } from 'node:crypto';
import type { NotificationLocale, WebhookProvider } from '../db/tables/notification.ts';
import type { MailContent } from './mail.ts';
import { kindLabel } from './mail.ts';

/*
 * Group robots of Chinese offices.
 *
 * DingTalk (钉钉自定义机器人): POST JSON {msgtype:'markdown', markdown:{title, text}} to the robot URL. With
 * 加签 on, the URL carries `timestamp` (milliseconds) and `sign` = URL-encoded base64 of
 * HMAC-SHA256(key = secret, message = `${timestamp}\n${secret}`); DingTalk refuses a timestamp more than an
 * hour off. Success is HTTP 200 with {errcode: 0}.
 *
 * WeCom (企业微信群机器人): POST JSON {msgtype:'markdown', markdown:{content}} to
 * …/cgi-bin/webhook/send?key=KEY. WeCom group robots have no request signing: the `key` in the URL is the
 * credential. So a WeCom secret, when given, is that key and is added to the URL at send time, letting the
 * stored URL stay key-free. Markdown content is limited to 4096 bytes. Success is {errcode: 0}.
 */

export interface WebhookTarget {
  provider: WebhookProvider;
  url: string;
  secret: string | null;
}

export interface WebhookMessage {
  title: string;
  markdown: string;
}

export type PostWebhook = (input: WebhookTarget & { message: WebhookMessage }) => Promise<void>;

const WECOM_MARKDOWN_BYTES = 4096;
const DINGTALK_MARKDOWN_BYTES = 18_000;

/** The `sign` of a DingTalk robot request, before URL encoding. */
export function dingtalkSign(timestamp: number | string, secret: string): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${secret}`, 'utf8').digest('base64');
}

/** The URL a DingTalk request goes to, signed when the robot has a secret. */
export function dingtalkUrl(url: string, secret: string | null, now: Date): string {
  if (!secret) {
    return url;
  }
  const timestamp = now.getTime();
  const separator = url.includes('?') ? '&' : '?';
  return `${url}${separator}timestamp=${timestamp}&sign=${encodeURIComponent(dingtalkSign(timestamp, secret))}`;
}

export function wecomUrl(url: string, key: string | null): string {
  if (!key) {
    return url;
  }
  const parsed = new URL(url);
  parsed.searchParams.set('key', key);
  return parsed.toString();
}

/** Cuts text to at most `bytes` UTF-8 bytes without splitting a character. */
export function clipBytes(text: string, bytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= bytes) {
    return text;
  }
  let out = '';
  let used = 0;
  const marker = '…';
  const budget = bytes - Buffer.byteLength(marker, 'utf8');
  for (const char of text) {
    const size = Buffer.byteLength(char, 'utf8');
    if (used + size > budget) {
      break;
    }
    out += char;
    used += size;
  }
  return out + marker;
}

// Markdown of robots has no escaping; keep user text from opening links or headings of its own.
const plain = (text: string): string => text.replace(/[[\]<>]/g, (c) => `\\${c}`).replace(/^#/gm, '\\#');

/** Renders a notification (or a digest) as robot markdown in one language. */
export function renderWebhookText(
  content: MailContent,
  options: { baseUrl?: string | null } = {},
): WebhookMessage {
  const locale: NotificationLocale = content.locale;
  const absolute = (link: string | null): string | null => {
    if (link === null) {
      return null;
    }
    if (/^https?:\/\//i.test(link)) {
      return link;
    }
    return options.baseUrl ? `${options.baseUrl.replace(/\/$/, '')}${link}` : null;
  };
  const open = locale === 'zh' ? '查看详情' : 'Open';
  const items = content.items ?? [
    { kind: 'reminder' as const, subject: content.subject, body: content.body, link: content.link },
  ];
  const title = content.items
    ? locale === 'zh'
      ? `每日汇总：${items.length} 条通知`
      : `Daily digest: ${items.length} notifications`
    : content.subject[locale];
  const parts = items.map((item) => {
    const heading = content.items
      ? `${kindLabel(item.kind, locale)} · ${item.subject[locale]}`
      : item.subject[locale];
    const link = absolute(item.link);
    return `### ${plain(heading)}\n${plain(item.body[locale])}${link ? `\n[${open}](${link})` : ''}`;
  });
  return { title, markdown: parts.join('\n\n') };
}

/** Posts to a group robot with a timeout; throws on a network error, a timeout, a non-2xx or errcode ≠ 0. */
export function createWebhookPoster(options: {
  timeoutMs: number;
  now: () => Date;
  fetch?: typeof fetch;
}): PostWebhook {
  const doFetch = options.fetch ?? fetch;
  return async ({ provider, url, secret, message }) => {
    const target = provider === 'dingtalk' ? dingtalkUrl(url, secret, options.now()) : wecomUrl(url, secret);
    const body =
      provider === 'dingtalk'
        ? {
            msgtype: 'markdown',
            markdown: { title: message.title, text: clipBytes(message.markdown, DINGTALK_MARKDOWN_BYTES) },
          }
        : {
            msgtype: 'markdown',
            markdown: {
              content: clipBytes(`**${message.title}**\n${message.markdown}`, WECOM_MARKDOWN_BYTES),
            },
          };
    let status: number;
    let text: string;
    try {
      const response = await doFetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs),
        redirect: 'error',
      });
      status = response.status;
      text = (await response.text()).slice(0, 500);
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw new Error(`${provider} robot did not answer within ${options.timeoutMs} ms.`, { cause: error });
      }
      throw new Error(
        `${provider} robot unreachable: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
    if (status < 200 || status >= 300) {
      throw new Error(`${provider} robot answered HTTP ${status}: ${text}`);
    }
    let errcode: unknown;
    try {
      errcode = (JSON.parse(text) as { errcode?: unknown }).errcode ?? 0;
    } catch (error) {
      throw new Error(`${provider} robot answered with something other than JSON: ${text}`, { cause: error });
    }
    if (errcode !== 0) {
      throw new Error(`${provider} robot refused the message: ${text}`);
    }
  };
}
