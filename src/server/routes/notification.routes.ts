import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../plugins/auth.ts';
import type { Services } from '../services/index.ts';
import { ErrorResponse, IdParams, Nullable, errorResponses } from './schemas.ts';

const KindSchema = Type.Union([
  Type.Literal('invited'),
  Type.Literal('deadline_near'),
  Type.Literal('overdue'),
  Type.Literal('sign_off_requested'),
  Type.Literal('feedback_received'),
  Type.Literal('objection_received'),
  Type.Literal('review_done'),
  Type.Literal('mentioned'),
  Type.Literal('conflict_escalated'),
  Type.Literal('expert_consultation'),
  Type.Literal('comment_moderated'),
  Type.Literal('reminder'),
]);
const DigestSchema = Type.Union([Type.Literal('none'), Type.Literal('daily')]);
const LocaleSchema = Type.Union([Type.Literal('zh'), Type.Literal('en')]);
const ProviderSchema = Type.Union([Type.Literal('dingtalk'), Type.Literal('wecom')]);
const DeliveryStatusSchema = Type.Union([
  Type.Literal('pending'),
  Type.Literal('sending'),
  Type.Literal('sent'),
  Type.Literal('failed'),
  Type.Literal('dead'),
]);
const Bilingual = Type.Object({ zh: Type.String(), en: Type.String() });

const NotificationSchema = Type.Object({
  id: Type.String(),
  kind: KindSchema,
  subject: Bilingual,
  body: Bilingual,
  link: Nullable(Type.String()),
  entity: Nullable(Type.Object({ kind: Type.String(), id: Type.String() })),
  readAt: Nullable(Type.String()),
  createdAt: Type.String(),
});

const KindPreference = Type.Object({ kind: KindSchema, inApp: Type.Boolean(), email: Type.Boolean() });
const PreferencesSchema = Type.Object({
  digest: DigestSchema,
  locale: LocaleSchema,
  kinds: Type.Array(KindPreference),
});

const WebhookSchema = Type.Object({
  id: Type.String(),
  provider: ProviderSchema,
  name: Type.String(),
  url: Type.String(),
  hasSecret: Type.Boolean(),
  enabled: Type.Boolean(),
});

const UnitSettingsSchema = Type.Object({
  unitId: Type.String(),
  digest: DigestSchema,
  locale: LocaleSchema,
  webhookKinds: Type.Array(KindSchema),
  webhooks: Type.Array(WebhookSchema),
});

const DeliverySchema = Type.Object({
  id: Type.String(),
  channel: Type.Union([Type.Literal('email'), Type.Literal('webhook')]),
  target: Type.String(),
  kind: KindSchema,
  userId: Nullable(Type.String()),
  unitId: Nullable(Type.String()),
  subject: Type.String(),
  digest: Type.Boolean(),
  status: DeliveryStatusSchema,
  attempts: Type.Integer(),
  maxAttempts: Type.Integer(),
  lastError: Nullable(Type.String()),
  sentAt: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

const Paging = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
};

export const notificationRoutes =
  (services: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/me/notifications',
      {
        schema: {
          tags: ['notifications'],
          summary: 'My in-app notifications, newest first, with the unread count',
          querystring: Type.Object({ ...Paging, unread: Type.Optional(Type.Boolean()) }),
          response: {
            200: Type.Object({
              items: Type.Array(NotificationSchema),
              total: Type.Integer(),
              unread: Type.Integer(),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) =>
        services.notifications.listInbox(actorOf(request), {
          limit: request.query.limit ?? 50,
          offset: request.query.offset ?? 0,
          unreadOnly: request.query.unread ?? false,
        }),
    );

    app.post(
      '/me/notifications/read',
      {
        schema: {
          tags: ['notifications'],
          summary: 'Mark some (ids) or all (all: true) of my notifications read',
          body: Type.Object({
            ids: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 500 })),
            all: Type.Optional(Type.Boolean()),
          }),
          response: {
            200: Type.Object({ updated: Type.Integer(), unread: Type.Integer() }),
            ...errorResponses,
          },
        },
      },
      async (request) => services.notifications.markRead(actorOf(request), request.body),
    );

    app.get(
      '/me/notification-preferences',
      {
        schema: {
          tags: ['notifications'],
          summary: 'My notification channels per kind, digest and language',
          response: { 200: PreferencesSchema, ...errorResponses },
        },
      },
      async (request) => services.notifications.getPreferences(actorOf(request)),
    );

    app.put(
      '/me/notification-preferences',
      {
        schema: {
          tags: ['notifications'],
          summary: 'Change my notification channels per kind, digest and language',
          body: Type.Object({
            digest: Type.Optional(DigestSchema),
            locale: Type.Optional(LocaleSchema),
            kinds: Type.Optional(Type.Array(KindPreference, { maxItems: 50 })),
          }),
          response: { 200: PreferencesSchema, ...errorResponses },
        },
      },
      async (request) => services.notifications.setPreferences(actorOf(request), request.body),
    );

    app.get(
      '/units/:id/notification-settings',
      {
        schema: {
          tags: ['notifications'],
          summary:
            "A unit's group robots (DingTalk, WeCom) and notification settings; secrets are never returned",
          params: IdParams,
          response: { 200: UnitSettingsSchema, ...errorResponses },
        },
      },
      async (request) => services.notifications.getUnitSettings(actorOf(request), request.params.id),
    );

    app.put(
      '/units/:id/notification-settings',
      {
        schema: {
          tags: ['notifications'],
          summary: "Set a unit's group robots and notification settings (unit head, administrators)",
          params: IdParams,
          body: Type.Object({
            digest: Type.Optional(DigestSchema),
            locale: Type.Optional(LocaleSchema),
            webhookKinds: Type.Optional(Type.Array(KindSchema, { maxItems: 50 })),
            webhooks: Type.Optional(
              Type.Array(
                Type.Object({
                  id: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
                  provider: ProviderSchema,
                  name: Type.String({ minLength: 1, maxLength: 100 }),
                  // Absent for a robot kept by id: its stored URL stays (the view hides its query string).
                  url: Type.Optional(Type.String({ minLength: 8, maxLength: 2000 })),
                  secret: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
                  enabled: Type.Optional(Type.Boolean()),
                }),
                { maxItems: 20 },
              ),
            ),
          }),
          response: { 200: UnitSettingsSchema, ...errorResponses },
        },
      },
      async (request) =>
        services.notifications.setUnitSettings(actorOf(request), request.params.id, request.body),
    );

    app.get(
      '/admin/notification-deliveries',
      {
        schema: {
          tags: ['notifications'],
          summary: 'E-mail and robot deliveries, e.g. the dead-letter list with status=dead (administrators)',
          querystring: Type.Object({ ...Paging, status: Type.Optional(DeliveryStatusSchema) }),
          response: { 200: Type.Array(DeliverySchema), ...errorResponses },
        },
      },
      async (request) =>
        services.notifications.listDeliveries(actorOf(request), {
          status: request.query.status ?? null,
          limit: request.query.limit ?? 100,
          offset: request.query.offset ?? 0,
        }),
    );

    app.post(
      '/admin/notification-deliveries/:id/retry',
      {
        schema: {
          tags: ['notifications'],
          summary: 'Send a failed or dead delivery again with fresh attempts (administrators)',
          params: IdParams,
          response: { 200: DeliverySchema, ...errorResponses, 409: ErrorResponse },
        },
      },
      async (request) => services.notifications.retryDelivery(actorOf(request), request.params.id),
    );
  };
