import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../plugins/auth.ts';
import type { Services } from '../services/index.ts';
import { DispositionCodeSchema } from './disposition.routes.ts';
import { contentDisposition } from './export.routes.ts';
import { ErrorResponse, IdParams, Nullable, errorResponses } from './schemas.ts';

/* 分歧事项: the conflict board, a conflict with its parties side by side, its resolution methods, escalation
 * up the plan's ladder, the decision written back into the dispositions, and the conflict metric. */

const writeErrors = { ...errorResponses, 409: ErrorResponse };
const TAGS = ['conflicts'];

const ConflictStatusSchema = Type.Union([
  Type.Literal('open'),
  Type.Literal('in_resolution'),
  Type.Literal('resolved'),
  Type.Literal('escalated'),
  Type.Literal('decided'),
]);
const MethodKindSchema = Type.Union([
  Type.Literal('meeting'),
  Type.Literal('data'),
  Type.Literal('expert'),
  Type.Literal('pilot'),
]);
const MethodStatusSchema = Type.Union([
  Type.Literal('planned'),
  Type.Literal('running'),
  Type.Literal('done'),
  Type.Literal('cancelled'),
]);
const LadderRoleSchema = Type.Union([
  Type.Literal('organizer'),
  Type.Literal('leader'),
  Type.Literal('admin'),
]);

const Id = Type.String({ minLength: 1, maxLength: 100 });
const Text = (maxLength: number) => Type.String({ maxLength });
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'a date, YYYY-MM-DD' });
const IsoTime = Type.String({ minLength: 10, maxLength: 40, description: 'an ISO-8601 date and time' });

const FigureSchema = Type.Object(
  {
    text: Type.String(),
    start: Type.Optional(Type.Integer()),
    end: Type.Optional(Type.Integer()),
    target: Type.Optional(Nullable(Type.String())),
    value: Type.Optional(Type.Number()),
    upper: Type.Optional(Type.Number()),
    unit: Type.Optional(Type.String()),
    direction: Type.Optional(Nullable(Type.String())),
    year: Type.Optional(Nullable(Type.Integer())),
  },
  { description: 'a figure of the opinion (提升20%, 不低于15%)' },
);

const RungSchema = Type.Object({
  rank: Type.Integer({ minimum: 0, description: '0 is the drafting team; escalations climb from 1' }),
  name: Type.String(),
  role: LadderRoleSchema,
  userIds: Type.Array(Type.String(), { description: 'when not empty, only these users decide at this rung' }),
});

const LadderSchema = Type.Object({
  planId: Type.String(),
  custom: Type.Boolean({
    description: 'false: the default ladder 编制组长 → 牵头单位负责人 → 分管领导 → 主要领导',
  }),
  rungs: Type.Array(RungSchema),
});

// ---- method records ------------------------------------------------------------------------------------

const AttendeeSchema = Type.Object({
  unitId: Nullable(Id),
  unitName: Type.Optional(Nullable(Text(200))),
  people: Type.Array(Text(100), { maxItems: 50 }),
});
const ActionSchema = Type.Object({
  text: Type.String({ minLength: 1, maxLength: 2000 }),
  ownerUnitId: Nullable(Id),
  due: Nullable(IsoDate),
  done: Type.Boolean(),
});
const MeetingFields = {
  agenda: Type.Array(Text(4000), { maxItems: 50 }),
  startsAt: Nullable(IsoTime),
  place: Nullable(Text(200)),
  attendees: Type.Array(AttendeeSchema, { maxItems: 100 }),
  minutes: Nullable(Text(50_000)),
  decisions: Type.Array(Text(4000), { maxItems: 50 }),
  actions: Type.Array(ActionSchema, { maxItems: 100 }),
};
const MeetingSchema = Type.Object({
  ...MeetingFields,
  attendees: Type.Array(
    Type.Object({
      unitId: Nullable(Type.String()),
      unitName: Nullable(Type.String()),
      people: Type.Array(Type.String()),
    }),
  ),
});
const MeetingInput = Type.Partial(Type.Object(MeetingFields));

const SheetInputSchema = Type.Object({
  name: Type.String({
    pattern: '^[A-Za-z][A-Za-z0-9_]{0,63}$',
    description: 'the identifier used in the formula',
  }),
  label: Type.Optional(Nullable(Text(200))),
  value: Nullable(Type.Number()),
  unit: Type.Optional(Nullable(Text(50))),
  source: Type.Optional(
    Nullable(
      Type.Object({
        itemId: Id,
        passage: Type.Optional(Nullable(Text(4000))),
      }),
    ),
  ),
});
const SheetFields = {
  question: Nullable(Text(2000)),
  inputs: Type.Array(SheetInputSchema, { maxItems: 100 }),
  formula: Type.String({
    maxLength: 2000,
    description:
      'arithmetic over the inputs: + - * / ^, parentheses, pow sqrt abs min max round floor ceil exp log log10',
  }),
  resultUnit: Nullable(Text(50)),
  conclusion: Nullable(Text(4000)),
};
const SheetSchema = Type.Object({
  ...SheetFields,
  result: Nullable(
    Type.Object({
      value: Type.Number(),
      shown: Type.String({ description: 'the formula with the values put in' }),
      calculatedAt: Type.String(),
    }),
  ),
});
const SheetInput = Type.Partial(Type.Object(SheetFields));

const PilotFields = {
  scope: Text(2000),
  unitIds: Type.Array(Id, { maxItems: 100 }),
  startsOn: Nullable(IsoDate),
  endsOn: Nullable(IsoDate),
  successCriteria: Text(4000),
  result: Nullable(Text(10_000)),
};
const PilotSchema = Type.Object({ ...PilotFields, followUpIds: Type.Array(Type.String()) });
const PilotInput = Type.Partial(Type.Object(PilotFields));

const MethodSchema = Type.Object({
  id: Type.String(),
  conflictId: Type.String(),
  kind: MethodKindSchema,
  title: Type.String(),
  status: MethodStatusSchema,
  meeting: Nullable(MeetingSchema),
  sheet: Nullable(SheetSchema),
  pilot: Nullable(PilotSchema),
  note: Nullable(Type.String()),
  consultationId: Nullable(Type.String({ description: 'the expert consultation of an expert method' })),
  createdBy: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

const MethodPatchFields = {
  title: Type.Optional(Nullable(Text(200))),
  status: Type.Optional(MethodStatusSchema),
  meeting: Type.Optional(MeetingInput),
  sheet: Type.Optional(SheetInput),
  pilot: Type.Optional(PilotInput),
  note: Type.Optional(Nullable(Text(4000))),
  consultationId: Type.Optional(Nullable(Id)),
};

// ---- conflicts -----------------------------------------------------------------------------------------

const UnitRef = Type.Object({ id: Type.String(), name: Type.String() });

const SummaryFields = {
  id: Type.String(),
  planId: Type.String(),
  roundId: Type.String(),
  clauseStableId: Type.String(),
  clauseNumber: Nullable(Type.String()),
  title: Type.String(),
  status: ConflictStatusSchema,
  level: Nullable(Type.Integer({ description: 'the rung of the ladder; null until escalated' })),
  levelName: Nullable(Type.String()),
  createdFrom: Type.Union([Type.Literal('person'), Type.Literal('candidate')]),
  units: Type.Array(UnitRef),
  openedAt: Type.String(),
  settledAt: Nullable(Type.String()),
  ageDays: Type.Number({ description: 'days from opening to settling, or to now' }),
};

const ConflictSummarySchema = Type.Object({
  ...SummaryFields,
  parties: Type.Integer(),
  methods: Type.Integer(),
});

const PartySchema = Type.Object({
  id: Type.String(),
  opinionId: Type.String(),
  regNo: Nullable(Type.String()),
  unitId: Nullable(Type.String()),
  unitName: Nullable(Type.String()),
  side: Type.String(),
  position: Nullable(Type.String()),
  suggestion: Type.String(),
  proposedText: Nullable(Type.String()),
  figures: Type.Array(FigureSchema),
  outcomeCode: Nullable(DispositionCodeSchema),
  dispositionId: Nullable(Type.String({ description: 'the disposition the decision wrote' })),
});

const ConflictSchema = Type.Object({
  ...SummaryFields,
  summary: Nullable(Type.String()),
  clauseText: Nullable(Type.String()),
  createdBy: Nullable(Type.String()),
  resolvedBy: Nullable(Type.String()),
  resolvedAt: Nullable(Type.String()),
  decidedBy: Nullable(Type.String()),
  decidedAt: Nullable(Type.String()),
  decision: Nullable(Type.String()),
  decisionCode: Nullable(DispositionCodeSchema),
  updatedAt: Type.String(),
  sides: Type.Array(Type.Object({ side: Type.String(), parties: Type.Array(PartySchema) })),
  methods: Type.Array(MethodSchema, { description: 'empty for readers from a party unit' }),
  escalations: Type.Array(
    Type.Object({
      fromLevel: Nullable(Type.Integer()),
      toLevel: Type.Integer(),
      fromName: Nullable(Type.String()),
      toName: Type.String(),
      by: Nullable(Type.String()),
      reason: Type.String(),
      at: Type.String(),
    }),
  ),
  ladder: Type.Array(RungSchema),
  can: Type.Object({
    manage: Type.Boolean(),
    escalate: Type.Boolean(),
    resolve: Type.Boolean(),
    decide: Type.Boolean(),
  }),
});

const DecisionBody = Type.Object({
  decision: Type.String({
    minLength: 1,
    maxLength: 10_000,
    description: 'the decision, the reason of the dispositions',
  }),
  code: Type.Optional(Nullable(DispositionCodeSchema)),
  outcomes: Type.Optional(
    Type.Array(
      Type.Object({
        opinionId: Id,
        code: DispositionCodeSchema,
        reason: Type.Optional(Nullable(Text(5000))),
      }),
      { maxItems: 200, description: 'a disposition per party opinion; `code` covers the others' },
    ),
  ),
});

const MetricsSchema = Type.Object({
  roundId: Type.String(),
  total: Type.Integer(),
  counts: Type.Object({
    open: Type.Integer(),
    in_resolution: Type.Integer(),
    resolved: Type.Integer(),
    escalated: Type.Integer(),
    decided: Type.Integer(),
  }),
  everEscalated: Type.Integer(),
  resolutionDays: Type.Object({
    settled: Type.Integer(),
    median: Nullable(Type.Number()),
    mean: Nullable(Type.Number()),
    max: Nullable(Type.Number()),
  }),
});

export const conflictRoutes =
  (services: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/rounds/:id/conflicts',
      {
        schema: {
          tags: TAGS,
          summary: 'Open a conflict among opinions of ≥2 units on one clause, by hand or from a candidate',
          params: IdParams,
          body: Type.Object({
            opinionIds: Type.Array(Id, { minItems: 2, maxItems: 50 }),
            title: Type.Optional(Nullable(Text(200))),
            summary: Type.Optional(Nullable(Text(4000))),
            createdFrom: Type.Optional(Type.Union([Type.Literal('person'), Type.Literal('candidate')])),
            sides: Type.Optional(
              Type.Record(Type.String(), Type.String({ minLength: 1, maxLength: 20 }), {
                description: 'side by opinion id; by default one side per unit',
              }),
            ),
            positions: Type.Optional(
              Type.Record(Type.String(), Text(4000), {
                description: 'position by opinion id; by default the opinion’s suggestion',
              }),
            ),
          }),
          response: { 201: ConflictSchema, ...writeErrors },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await services.conflicts.openConflict(actorOf(request), request.params.id, request.body)),
    );

    app.get(
      '/rounds/:id/conflicts',
      {
        schema: {
          tags: TAGS,
          summary: 'The conflict board of a round (units see those their opinions are in)',
          params: IdParams,
          querystring: Type.Object({
            clauseStableId: Type.Optional(Id),
            status: Type.Optional(ConflictStatusSchema),
            unitId: Type.Optional(Id),
            otherUnitId: Type.Optional(
              Type.String({ minLength: 1, maxLength: 100, description: 'with unitId: a unit pair' }),
            ),
          }),
          response: { 200: Type.Object({ items: Type.Array(ConflictSummarySchema) }), ...errorResponses },
        },
      },
      async (request) => {
        const { clauseStableId, status, unitId, otherUnitId } = request.query;
        return services.conflicts.listConflicts(actorOf(request), request.params.id, {
          ...(clauseStableId ? { clauseStableId } : {}),
          ...(status ? { status } : {}),
          unitIds: [unitId, otherUnitId].filter((u): u is string => !!u),
        });
      },
    );

    app.get(
      '/rounds/:id/conflict-metrics',
      {
        schema: {
          tags: TAGS,
          summary:
            '分歧解决时间: days from opened to resolved/decided (median, mean, max) and counts per state',
          params: IdParams,
          response: { 200: MetricsSchema, ...errorResponses },
        },
      },
      async (request) => services.conflicts.metrics(actorOf(request), request.params.id),
    );

    app.post(
      '/rounds/:id/conflict-follow-ups',
      {
        schema: {
          tags: TAGS,
          summary: 'After the round ended: the opinions of conflicts with a running pilot become follow-ups',
          params: IdParams,
          response: { 200: Type.Object({ followUpIds: Type.Array(Type.String()) }), ...writeErrors },
        },
      },
      async (request) => services.conflicts.followUpRunningPilots(actorOf(request), request.params.id),
    );

    app.get(
      '/conflicts/:id',
      {
        schema: {
          tags: TAGS,
          summary: 'A conflict: parties side by side, methods, escalations, the ladder',
          params: IdParams,
          response: { 200: ConflictSchema, ...errorResponses },
        },
      },
      async (request) => services.conflicts.getConflict(actorOf(request), request.params.id),
    );

    app.post(
      '/conflicts/:id/escalate',
      {
        schema: {
          tags: TAGS,
          summary: 'Escalate one rung up the plan’s ladder',
          params: IdParams,
          body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 4000 }) }),
          response: { 200: ConflictSchema, ...writeErrors },
        },
      },
      async (request) => services.conflicts.escalate(actorOf(request), request.params.id, request.body),
    );

    app.post(
      '/conflicts/:id/resolve',
      {
        schema: {
          tags: TAGS,
          summary: 'Resolve at the team level; writes the decision back into the parties’ dispositions',
          params: IdParams,
          body: DecisionBody,
          response: { 200: ConflictSchema, ...writeErrors },
        },
      },
      async (request) => services.conflicts.resolve(actorOf(request), request.params.id, request.body),
    );

    app.post(
      '/conflicts/:id/decide',
      {
        schema: {
          tags: TAGS,
          summary:
            'Decide an escalated conflict at one’s rung; writes the decision back into the dispositions',
          params: IdParams,
          body: DecisionBody,
          response: { 200: ConflictSchema, ...writeErrors },
        },
      },
      async (request) => services.conflicts.decide(actorOf(request), request.params.id, request.body),
    );

    app.get(
      '/conflicts/:id/agenda',
      {
        schema: {
          tags: TAGS,
          summary: 'A coordination meeting agenda drafted from the conflict',
          params: IdParams,
          response: {
            200: Type.Object({
              conflictId: Type.String(),
              title: Type.String(),
              items: Type.Array(Type.String()),
              parties: Type.Array(
                Type.Object({
                  side: Type.String(),
                  unitName: Nullable(Type.String()),
                  position: Nullable(Type.String()),
                  figures: Type.Array(Type.String()),
                }),
              ),
              text: Type.String(),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => services.conflicts.agenda(actorOf(request), request.params.id),
    );

    app.post(
      '/conflicts/:id/methods',
      {
        schema: {
          tags: TAGS,
          summary: 'Start a resolution method (协调会, 数据论证, 专家咨询, 试点验证)',
          params: IdParams,
          body: Type.Object({ kind: MethodKindSchema, ...MethodPatchFields }),
          response: { 201: MethodSchema, ...writeErrors },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await services.conflicts.addMethod(actorOf(request), request.params.id, request.body)),
    );

    app.patch(
      '/methods/:id',
      {
        schema: {
          tags: TAGS,
          summary: 'Update a method’s record or status (fields given replace those of the record)',
          params: IdParams,
          body: Type.Object(MethodPatchFields),
          response: { 200: MethodSchema, ...writeErrors },
        },
      },
      async (request) => services.conflicts.updateMethod(actorOf(request), request.params.id, request.body),
    );

    app.post(
      '/methods/:id/calculate',
      {
        schema: {
          tags: TAGS,
          summary: 'Calculate a data argument’s sheet; changes given are saved only if it calculates',
          params: IdParams,
          body: SheetInput,
          response: { 200: MethodSchema, ...writeErrors },
        },
      },
      async (request) => services.conflicts.calculate(actorOf(request), request.params.id, request.body),
    );

    app.get(
      '/methods/:id/minutes.docx',
      {
        schema: {
          tags: TAGS,
          summary: 'A coordination meeting’s minutes as .docx (会议纪要)',
          params: IdParams,
          response: {
            200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'the .docx file' }),
            ...writeErrors,
          },
        },
      },
      async (request, reply) => {
        const file = await services.conflicts.minutesDocx(actorOf(request), request.params.id);
        return reply
          .header('content-type', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')
          .header('content-disposition', contentDisposition(file.fileName))
          .header('cache-control', 'no-store')
          .send(file.data);
      },
    );

    app.get(
      '/plans/:id/escalation-ladder',
      {
        schema: {
          tags: TAGS,
          summary: 'The plan’s escalation ladder (or the default one)',
          params: IdParams,
          response: { 200: LadderSchema, ...errorResponses },
        },
      },
      async (request) => services.conflicts.getLadder(actorOf(request), request.params.id),
    );

    app.put(
      '/plans/:id/escalation-ladder',
      {
        schema: {
          tags: TAGS,
          summary: 'Set the plan’s escalation ladder; an empty list restores the default',
          params: IdParams,
          body: Type.Object({
            rungs: Type.Array(
              Type.Object({
                name: Type.String({ minLength: 1, maxLength: 100 }),
                role: LadderRoleSchema,
                userIds: Type.Array(Id, { maxItems: 50 }),
              }),
              { maxItems: 10 },
            ),
          }),
          response: { 200: LadderSchema, ...writeErrors },
        },
      },
      async (request) =>
        services.conflicts.setLadder(actorOf(request), request.params.id, request.body.rungs),
    );
  };
