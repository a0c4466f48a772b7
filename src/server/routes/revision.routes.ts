import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../plugins/auth.ts';
import type { Services } from '../services/index.ts';
import { VersionSchema } from './plan.routes.ts';
import { IdParams, Nullable, errorResponses, ErrorResponse } from './schemas.ts';

const Revision = Type.Object({
  id: Type.String(),
  planId: Type.String(),
  baseVersionId: Type.String(),
  status: Type.String(),
  publishedVersionId: Nullable(Type.String()),
  createdBy: Nullable(Type.String()),
  createdAt: Type.String(),
  publishedAt: Nullable(Type.String()),
  submittedBy: Nullable(Type.String()),
  submittedAt: Nullable(Type.String()),
  approvedBy: Nullable(Type.String()),
  approvedAt: Nullable(Type.String()),
  returnedBy: Nullable(Type.String()),
  returnedAt: Nullable(Type.String()),
  returnNote: Nullable(Type.String()),
});

const RevisionSummary = Type.Object({
  ...Revision.properties,
  baseVersion: Type.Object({ id: Type.String(), seq: Type.Integer(), label: Type.String() }),
  changeCount: Type.Integer(),
  createdByName: Nullable(Type.String()),
  submittedByName: Nullable(Type.String()),
  approvedByName: Nullable(Type.String()),
  returnedByName: Nullable(Type.String()),
});

const Change = Type.Object({
  id: Type.String(),
  stableId: Type.String(),
  kind: Type.String(),
  afterStableId: Nullable(Type.String()),
  oldText: Nullable(Type.String()),
  newText: Nullable(Type.String()),
  newHeading: Nullable(Type.String()),
  opinionIds: Type.Array(Type.String()),
  reason: Nullable(Type.String()),
  authorId: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

const RevisedClause = Type.Object({
  stableId: Type.String(),
  parentStableId: Nullable(Type.String()),
  kind: Type.String(),
  number: Nullable(Type.String()),
  heading: Nullable(Type.String()),
  text: Type.String(),
  depth: Type.Integer(),
  path: Type.String(),
  status: Type.String(),
  previous: Nullable(
    Type.Object({ number: Nullable(Type.String()), heading: Nullable(Type.String()), text: Type.String() }),
  ),
  changeId: Nullable(Type.String()),
});

const RevisionView = Type.Object({
  revision: Revision,
  changes: Type.Array(Change),
  clauses: Type.Array(RevisedClause),
  stableId: Type.Optional(Type.String()),
});

const ClauseParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 100 }),
  stableId: Type.String({ minLength: 1, maxLength: 100 }),
});

const OpinionIds = Type.Optional(
  Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 200 }),
);
const Reason = Type.Optional(Nullable(Type.String({ maxLength: 5000 })));
const withConflict = { ...errorResponses, 409: ErrorResponse };

export const revisionRoutes =
  (services: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/plans/:id/revisions',
      {
        schema: {
          tags: ['revisions'],
          summary: 'Start a revision (修改稿) of the latest draft version; one open revision per plan',
          params: IdParams,
          response: { 201: RevisionView, ...withConflict },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await services.revisions.startRevision(actorOf(request), request.params.id)),
    );

    app.get(
      '/plans/:id/revisions',
      {
        schema: {
          tags: ['revisions'],
          summary: "A plan's revisions, newest first (the open one is draft, submitted or approved)",
          params: IdParams,
          response: { 200: Type.Array(RevisionSummary), ...errorResponses },
        },
      },
      async (request) => services.revisions.listRevisions(actorOf(request), request.params.id),
    );

    app.post(
      '/revisions/:id/submit',
      {
        schema: {
          tags: ['revisions'],
          summary: "Submit the revision for a leader's approval; it is read-only until approved or returned",
          params: IdParams,
          response: { 200: RevisionView, ...withConflict },
        },
      },
      async (request) => services.revisions.submitRevision(actorOf(request), request.params.id),
    );

    app.post(
      '/revisions/:id/approve',
      {
        schema: {
          tags: ['revisions'],
          summary: "A leader of the plan's unit or above approves the submitted revision",
          params: IdParams,
          response: { 200: RevisionView, ...withConflict },
        },
      },
      async (request) => services.revisions.approveRevision(actorOf(request), request.params.id),
    );

    app.post(
      '/revisions/:id/return',
      {
        schema: {
          tags: ['revisions'],
          summary: 'A leader returns the submitted revision to the organizers with a note',
          params: IdParams,
          body: Type.Object({ note: Type.String({ minLength: 1, maxLength: 5000 }) }),
          response: { 200: RevisionView, ...withConflict },
        },
      },
      async (request) => services.revisions.returnRevision(actorOf(request), request.params.id, request.body),
    );

    app.post(
      '/revisions/:id/withdraw',
      {
        schema: {
          tags: ['revisions'],
          summary:
            'The organizers take a submitted or approved revision back to edit it (the approval is lost)',
          params: IdParams,
          response: { 200: RevisionView, ...withConflict },
        },
      },
      async (request) => services.revisions.withdrawRevision(actorOf(request), request.params.id),
    );

    app.get(
      '/revisions/:id',
      {
        schema: {
          tags: ['revisions'],
          summary: 'A revision: its changes and the resulting text of every clause',
          params: IdParams,
          response: { 200: RevisionView, ...errorResponses },
        },
      },
      async (request) => services.revisions.getRevision(actorOf(request), request.params.id),
    );

    app.post(
      '/revisions/:id/accept',
      {
        schema: {
          tags: ['revisions'],
          summary: "Accept an opinion's proposed text into its clause as a tracked change linked to it",
          params: IdParams,
          body: Type.Object({ opinionId: Type.String({ minLength: 1, maxLength: 100 }) }),
          response: { 200: RevisionView, ...withConflict },
        },
      },
      async (request) =>
        services.revisions.acceptOpinion(actorOf(request), request.params.id, request.body.opinionId),
    );

    app.put(
      '/revisions/:id/clauses/:stableId',
      {
        schema: {
          tags: ['revisions'],
          summary: 'Edit a clause of the revision',
          params: ClauseParams,
          body: Type.Object({
            text: Type.String({ minLength: 1, maxLength: 50_000 }),
            heading: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
            opinionIds: OpinionIds,
            reason: Reason,
          }),
          response: { 200: RevisionView, ...withConflict },
        },
      },
      async (request) =>
        services.revisions.editClause(
          actorOf(request),
          request.params.id,
          request.params.stableId,
          request.body,
        ),
    );

    app.post(
      '/revisions/:id/clauses',
      {
        schema: {
          tags: ['revisions'],
          summary: 'Insert a new clause after another (as its sibling of the same kind)',
          params: IdParams,
          body: Type.Object({
            afterStableId: Type.String({ minLength: 1, maxLength: 100 }),
            text: Type.String({ minLength: 1, maxLength: 50_000 }),
            heading: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
            opinionIds: OpinionIds,
            reason: Reason,
          }),
          response: { 201: RevisionView, ...withConflict },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await services.revisions.insertClause(actorOf(request), request.params.id, request.body)),
    );

    app.delete(
      '/revisions/:id/clauses/:stableId',
      {
        schema: {
          tags: ['revisions'],
          summary: 'Delete a clause (and its subtree) in the revision',
          params: ClauseParams,
          response: { 200: RevisionView, ...withConflict },
        },
      },
      async (request) =>
        services.revisions.deleteClause(actorOf(request), request.params.id, request.params.stableId),
    );

    app.get(
      '/revisions/:id/consistency',
      {
        schema: {
          tags: ['revisions'],
          summary: 'Adopted opinions with no change, and changes with no opinion',
          params: IdParams,
          response: {
            200: Type.Object({
              adoptedWithoutChange: Type.Array(Type.String()),
              changesWithoutOpinion: Type.Array(Type.String()),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => services.revisions.checkConsistency(actorOf(request), request.params.id),
    );

    app.post(
      '/revisions/:id/publish',
      {
        schema: {
          tags: ['revisions'],
          summary:
            'Publish the approved revision as the next draft version; open opinions follow their clauses',
          params: IdParams,
          body: Type.Optional(Type.Object({ label: Type.Optional(Type.String({ maxLength: 100 })) })),
          response: {
            201: Type.Object({
              revision: Revision,
              version: VersionSchema,
              carried: Type.Array(
                Type.Object({ opinionId: Type.String(), stableId: Type.String(), clauseId: Type.String() }),
              ),
              uncertain: Type.Array(
                Type.Object({ opinionId: Type.String(), stableId: Nullable(Type.String()) }),
              ),
            }),
            ...withConflict,
          },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(
            await services.revisions.publish(
              actorOf(request),
              request.params.id,
              request.body?.label ? { label: request.body.label } : {},
            ),
          ),
    );
  };
