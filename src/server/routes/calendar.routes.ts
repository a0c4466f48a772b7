import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../plugins/auth.ts';
import type { Services } from '../services/index.ts';
import { Nullable, errorResponses } from './schemas.ts';

const DateString = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
  description: 'YYYY-MM-DD (China-local)',
});
const DayKind = Type.Union([Type.Literal('holiday'), Type.Literal('workday')]);
const DayScope = Type.Union([Type.Literal('national'), Type.Literal('local')]);

const CalendarDay = Type.Object({
  date: Type.String(),
  kind: DayKind,
  name: Nullable(Type.String()),
  source: Type.Union([Type.Literal('official'), Type.Literal('override')]),
  scope: DayScope,
});

const Override = Type.Object({
  date: Type.String(),
  kind: DayKind,
  name: Nullable(Type.String()),
  scope: DayScope,
  createdBy: Nullable(Type.String()),
  createdAt: Type.String(),
});

export const calendarRoutes =
  (services: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/calendar',
      {
        schema: {
          tags: ['calendar'],
          summary:
            'Days off and make-up workdays (调休) in a range, and the years the calendar does not cover',
          querystring: Type.Object({ from: DateString, to: DateString }),
          response: {
            200: Type.Object({
              from: Type.String(),
              to: Type.String(),
              days: Type.Array(CalendarDay),
              uncoveredYears: Type.Array(Type.Integer()),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => services.calendar.listDays(actorOf(request), request.query),
    );

    app.post(
      '/calendar/days',
      {
        schema: {
          tags: ['calendar'],
          summary: 'Add or replace an override: a holiday of a year the package lacks, or a local day off',
          body: Type.Object({
            date: DateString,
            kind: DayKind,
            name: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
            scope: Type.Optional(DayScope),
          }),
          response: { 200: Override, ...errorResponses },
        },
      },
      async (request) => services.calendar.setDay(actorOf(request), request.body),
    );

    app.delete(
      '/calendar/days/:date',
      {
        schema: {
          tags: ['calendar'],
          summary: 'Remove the override of a day',
          params: Type.Object({ date: DateString }),
          response: { 204: Type.Null(), ...errorResponses },
        },
      },
      async (request, reply) => {
        await services.calendar.deleteDay(actorOf(request), request.params.date);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/calendar/deadline',
      {
        schema: {
          tags: ['calendar'],
          summary: 'The deadline N working days after a date',
          querystring: Type.Object({
            from: DateString,
            workingDays: Type.Integer({ minimum: 0, maximum: 366 }),
          }),
          response: {
            200: Type.Object({
              from: Type.String(),
              workingDays: Type.Integer(),
              deadline: Type.String(),
              closesAt: Type.String(),
              calendarDays: Type.Integer(),
              uncoveredYears: Type.Array(Type.Integer()),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => services.calendar.computeDeadline(actorOf(request), request.query),
    );
  };
