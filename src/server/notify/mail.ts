import nodemailer from 'nodemailer';
import type { NotificationKind, NotificationLocale } from '../db/tables/notification.ts';

/*
 * Notification e-mail: a nodemailer SMTP transport built from CONCORD_SMTP_URL, and the templates in
 * Chinese and English. Every message has a plain-text part and an HTML part whose text is escaped, so
 * nothing a user wrote becomes markup in a mail client.
 */

export interface Bilingual {
  zh: string;
  en: string;
}

export interface MailItem {
  kind: NotificationKind;
  subject: Bilingual;
  body: Bilingual;
  link: string | null;
}

export interface MailContent {
  locale: NotificationLocale;
  subject: Bilingual;
  body: Bilingual;
  link: string | null;
  /** A digest: several notifications in one message. */
  items?: MailItem[];
  /** To someone outside the system (a public commenter), who has no notification preferences. */
  audience?: 'public';
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  send(input: { to: string; mail: RenderedMail }): Promise<void>;
  close(): void;
}

const KIND_LABELS: Record<NotificationKind, Bilingual> = {
  invited: { zh: '征求意见邀请', en: 'Invitation to comment' },
  deadline_near: { zh: '截止临近', en: 'Deadline near' },
  overdue: { zh: '已逾期', en: 'Overdue' },
  sign_off_requested: { zh: '待签发', en: 'Sign-off requested' },
  feedback_received: { zh: '收到反馈', en: 'Feedback received' },
  objection_received: { zh: '收到异议', en: 'Objection received' },
  review_done: { zh: '复核完成', en: 'Review done' },
  mentioned: { zh: '有人提到了您', en: 'You were mentioned' },
  conflict_escalated: { zh: '分歧已提交协调', en: 'Conflict escalated' },
  expert_consultation: { zh: '专家咨询', en: 'Expert consultation' },
  comment_moderated: { zh: '公众意见审核', en: 'Comment moderated' },
  reminder: { zh: '督办提醒', en: 'Reminder' },
};

export const kindLabel = (kind: NotificationKind, locale: NotificationLocale): string =>
  KIND_LABELS[kind][locale];

const TEXT = {
  zh: {
    brand: '协同征求意见平台',
    open: '查看详情',
    digest: (n: number) => `每日汇总：${n} 条通知`,
    footer: '您收到此邮件，是因为您在协同征求意见平台的通知设置中开启了邮件提醒。可在“通知设置”中修改。',
    publicFooter:
      '您收到此邮件，是因为您在提交公众意见时留下了此邮箱地址。本邮件由系统自动发送，请勿直接回复。',
  },
  en: {
    brand: 'Concord',
    open: 'Open',
    digest: (n: number) => `Daily digest: ${n} notification${n === 1 ? '' : 's'}`,
    footer:
      'You receive this e-mail because e-mail is on in your Concord notification preferences. You can change them under “Notification preferences”.',
    publicFooter:
      'You receive this e-mail because you left this address with your public comment. It was sent automatically; please do not reply to it.',
  },
} as const;

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Only links into the application (paths) or http(s) become clickable. */
const safeLink = (link: string | null): string | null =>
  link !== null && (/^\/[^/\\]/.test(link) || /^https?:\/\//i.test(link)) ? link : null;

const paragraphs = (text: string): string =>
  text
    .split(/\n{2,}/)
    .map((part) => `<p>${escapeHtml(part).replace(/\n/g, '<br>')}</p>`)
    .join('');

/** Renders a notification (or a digest of several) in the recipient's language. */
export function renderMail(content: MailContent): RenderedMail {
  const { locale } = content;
  const t = TEXT[locale];
  const items = content.items ?? null;
  const subject = items
    ? `[${t.brand}] ${t.digest(items.length)}`
    : `[${t.brand}] ${content.subject[locale]}`;
  const entries: MailItem[] = items ?? [
    { kind: 'reminder', subject: content.subject, body: content.body, link: content.link },
  ];
  const textParts: string[] = [];
  const htmlParts: string[] = [];
  for (const item of entries) {
    const link = safeLink(item.link);
    const heading = items
      ? `${kindLabel(item.kind, locale)} · ${item.subject[locale]}`
      : item.subject[locale];
    textParts.push([heading, '', item.body[locale], ...(link ? ['', `${t.open}: ${link}`] : [])].join('\n'));
    htmlParts.push(
      `<h2 style="font-size:16px">${escapeHtml(heading)}</h2>${paragraphs(item.body[locale])}` +
        (link ? `<p><a href="${escapeHtml(link)}">${escapeHtml(t.open)}</a></p>` : ''),
    );
  }
  const footer = content.audience === 'public' ? t.publicFooter : t.footer;
  const text = `${textParts.join('\n\n----\n\n')}\n\n--\n${footer}\n`;
  const html =
    `<!doctype html><html lang="${locale === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8">` +
    `<title>${escapeHtml(subject)}</title></head><body style="font-family:sans-serif">` +
    `${htmlParts.join('<hr>')}<hr><p style="color:#666;font-size:12px">${escapeHtml(footer)}</p></body></html>`;
  return { subject, text, html };
}

/** An SMTP mailer; `null` url means e-mail is off and every send fails with a clear error. */
export function createMailer(options: { url: string | null; from: string; timeoutMs: number }): Mailer {
  if (options.url === null) {
    return {
      send: () => Promise.reject(new Error('E-mail is not configured (CONCORD_SMTP_URL is unset).')),
      close: () => undefined,
    };
  }
  const transport = nodemailer.createTransport({
    url: options.url,
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs,
  });
  return {
    async send({ to, mail }) {
      const info = await transport.sendMail({
        from: options.from,
        to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
      });
      if (info.rejected.length > 0) {
        throw new Error(`The SMTP server refused ${info.rejected.length} recipient(s).`);
      }
    },
    close: () => transport.close(),
  };
}
