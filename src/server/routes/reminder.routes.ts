import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { MAX_BEFORE_DAYS, MAX_LEADER_AFTER_DAYS } from '../../domain/reminder-rules.ts';
import { actorOf } from '../plugins/auth.ts';
import type { Services } from '../services/index.ts';
import { ErrorResponse, IdParams, Nullable, errorResponses } from './schemas.ts';

const AutomaticRule = Type.Union([
  Type.Literal('before_deadline'),
  Type.Literal('overdue_head'),
  Type.Literal('overdue_leader'),
]);
const Rule = Type.Union([AutomaticRule, Type.Literal('manual')]);

const Scheduled = Type.Object({
  rule: AutomaticRule,
  dueOn: Type.String({ description: 'China-local working day' }),
  offset: Type.Integer({ description: 'Working days before (before_deadline) or after the deadline' }),
});

const Settings = Type.Object({
  roundId: Type.String(),
  beforeDays: Type.Array(Type.Integer()),
  leaderAfterDays: Type.Integer(),
  enabled: Type.Boolean(),
  isDefault: Type.Boolean(),
  updatedBy: Nullable(Type.String()),
  updatedAt: Nullable(Type.String()),
  schedule: Type.Array(Scheduled),
});

const Reminder = Type.Object({
  id: Type.String(),
  invitationId: Type.String(),
  rule: Rule,
  dueOn: Type.String(),
  deadline: Type.String(),
  sentAt: Type.String(),
  sentBy: Nullable(Type.String()),
  sentByName: Nullable(Type.String({ description: 'Who sent it by hand; null for automatic reminders' })),
  recipients: Type.Array(Type.String()),
  note: Nullable(Type.String()),
});

const InvitationReminders = Type.Object({
  invitationId: Type.String(),
  unitId: Type.String(),
  unitName: Type.String(),
  status: Type.String(),
  deadline: Type.String(),
  workingDaysLeft: Type.Integer({ description: 'Negative: working days overdue' }),
  replied: Type.Boolean(),
  reminders: Type.Array(Reminder),
  next: Nullable(Scheduled),
});

const changeResponses = { ...errorResponses, 409: ErrorResponse };

export const reminderRoutes =
  (services: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { reminders } = services;

    app.get(
      '/rounds/:id/reminder-settings',
      {
        schema: {
          tags: ['reminders'],
          summary: "A round's reminder settings (催办/督办) and the schedule they give on its deadline",
          params: IdParams,
          response: { 200: Settings, ...errorResponses },
        },
      },
      async (request) => reminders.getSettings(actorOf(request), request.params.id),
    );

    app.put(
      '/rounds/:id/reminder-settings',
      {
        schema: {
          tags: ['reminders'],
          summary:
            "The plan's organizers set the working days before the deadline on which units are reminded, and when the leader hears of overdue units",
          params: IdParams,
          body: Type.Object({
            beforeDays: Type.Array(Type.Integer({ minimum: 1, maximum: MAX_BEFORE_DAYS }), { maxItems: 10 }),
            leaderAfterDays: Type.Integer({ minimum: 1, maximum: MAX_LEADER_AFTER_DAYS }),
            enabled: Type.Optional(Type.Boolean()),
          }),
          response: { 200: Settings, ...changeResponses },
        },
      },
      async (request) => reminders.updateSettings(actorOf(request), request.params.id, request.body),
    );

    app.get(
      '/rounds/:id/reminders',
      {
        schema: {
          tags: ['reminders'],
          summary: 'For the round monitor: per invitation the reminders sent and the next one due',
          params: IdParams,
          response: {
            200: Type.Object({
              roundId: Type.String(),
              settings: Settings,
              invitations: Type.Array(InvitationReminders),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => reminders.listRoundReminders(actorOf(request), request.params.id),
    );
  };
