import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify from 'fastify';
import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AJV_OPTIONS } from '../src/server/app.ts';
import { Nullable } from '../src/server/routes/schemas.ts';

/*
 * Nullable fields under the application's request validation (types coerced): a null must arrive as null,
 * a value as itself, and a wrong type must still be refused.
 */
describe('Nullable request fields', () => {
  const app = Fastify({ ajv: { customOptions: AJV_OPTIONS } }).withTypeProvider<TypeBoxTypeProvider>();
  const Body = Type.Object({
    text: Nullable(Type.String({ minLength: 1 })),
    count: Nullable(Type.Integer({ minimum: 0 })),
    flag: Nullable(Type.Boolean()),
    choice: Nullable(Type.Union([Type.Literal('a'), Type.Literal('b')])),
    nested: Nullable(Type.Object({ x: Type.Integer() })),
  });

  beforeAll(async () => {
    app.post(
      '/echo',
      { schema: { body: Body, querystring: Type.Object({ n: Type.Optional(Type.Integer()) }) } },
      (request) => ({
        body: request.body,
        n: request.query.n ?? null,
      }),
    );
    await app.ready();
  });
  afterAll(() => app.close());

  const post = (payload: unknown, url = '/echo') =>
    app.inject({ method: 'POST', url, payload: payload as object });

  it('keeps null as null in a JSON body', async () => {
    const all = { text: null, count: null, flag: null, choice: null, nested: null };
    const res = await post(all);
    expect(res.statusCode).toBe(200);
    expect(res.json().body).toStrictEqual(all);
  });

  it('takes an empty string from a form as none', async () => {
    const res = await post({ text: '', count: null, flag: null, choice: null, nested: null });
    expect(res.statusCode).toBe(200);
    expect(res.json().body.text).toBeNull();
  });

  it('keeps values as they are, zero and false included', async () => {
    const values = { text: 'x', count: 0, flag: false, choice: 'b', nested: { x: 3 } };
    const res = await post(values);
    expect(res.statusCode).toBe(200);
    expect(res.json().body).toStrictEqual(values);
  });

  it('still refuses what is neither, and still coerces the query string', async () => {
    expect((await post({ text: 5, count: 'x', flag: null, choice: null, nested: null })).statusCode).toBe(
      400,
    );
    expect((await post({ text: null, count: -1, flag: null, choice: null, nested: null })).statusCode).toBe(
      400,
    );
    expect((await post({ text: null, count: null, flag: null, choice: 'c', nested: null })).statusCode).toBe(
      400,
    );
    const res = await post({ text: null, count: null, flag: null, choice: null, nested: null }, '/echo?n=7');
    expect(res.json().n).toBe(7);
  });
});
