import { Type } from '@sinclair/typebox';
import type { Deps } from '../deps.ts';
import { actorOf, SESSION_COOKIE } from '../http/auth.ts';
import { type App, errors, Nullable, Page } from '../http/types.ts';
import { actorView, createOrganization, createUser, issueApiToken, listApiTokens, listOrganizations, listUsers, login, logout, revokeApiToken } from './service.ts';

const User = Type.Object(
  {
    id: Type.String(),
    username: Type.String(),
    displayName: Type.String(),
    isAdmin: Type.Boolean(),
    orgId: Type.String(),
    orgName: Type.String(),
    orgKind: Type.String(),
    marketRoles: Type.Array(Type.String()),
    jurisdictionCode: Nullable(Type.String()),
  },
  { $id: 'User' },
);
const Organization = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    kind: Type.String(),
    marketRoles: Type.Array(Type.String()),
    jurisdictionCode: Nullable(Type.String()),
    regionCode: Nullable(Type.String()),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Organization' },
);
const MarketRole = Type.Union([Type.Literal('supplier'), Type.Literal('demander'), Type.Literal('provider')]);

export function identityRoutes(app: App, deps: Deps) {
  app.addSchema(User);
  app.addSchema(Organization);

  app.post(
    '/api/v1/auth/login',
    {
      schema: {
        tags: ['identity'],
        summary: 'Sign in: returns a bearer token and sets a session cookie',
        body: Type.Object({ username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 256 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ token: Type.String(), expiresAt: Type.String({ format: 'date-time' }), user: Type.Ref('User') }), ...errors(400, 401, 423, 429) },
        security: [],
      },
    },
    async (request, reply) => {
      const result = await login(deps, request.body.username, request.body.password);
      // A fresh token per login: the session id rotates on every sign-in.
      reply.setCookie(SESSION_COOKIE, result.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: deps.config.secureCookies,
        expires: result.expiresAt,
      });
      return { token: result.token, expiresAt: result.expiresAt.toISOString(), user: result.user };
    },
  );

  app.post('/api/v1/auth/logout', { schema: { tags: ['identity'], summary: 'Sign out: revokes the current token', response: { 204: Type.Null(), ...errors(401) } } }, async (request, reply) => {
    await logout(deps, actorOf(request));
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send(null);
  });

  app.get('/api/v1/auth/me', { schema: { tags: ['identity'], summary: 'The signed-in user', response: { 200: Type.Ref('User'), ...errors(401) } } }, async (request) =>
    actorView(actorOf(request)),
  );

  const ApiToken = Type.Object({ id: Type.String(), name: Type.String(), createdAt: Type.String(), expiresAt: Nullable(Type.String()), revokedAt: Nullable(Type.String()) });
  app.get('/api/v1/auth/tokens', { schema: { tags: ['identity'], summary: "The caller's API tokens (secrets are never shown again)", response: { 200: Page(ApiToken), ...errors(401) } } }, async (request) =>
    listApiTokens(deps, actorOf(request)),
  );
  app.post(
    '/api/v1/auth/tokens',
    {
      schema: {
        tags: ['identity'],
        summary: 'Create an API token for machines; the secret is shown once',
        body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }), ttlDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })) }, { additionalProperties: false }),
        response: { 201: Type.Object({ id: Type.String(), token: Type.String(), name: Type.String(), expiresAt: Nullable(Type.String()) }), ...errors(400, 401) },
      },
    },
    async (request, reply) => reply.code(201).send(await issueApiToken(deps, actorOf(request), request.body.name, request.body.ttlDays, { requestId: request.id })),
  );
  app.delete(
    '/api/v1/auth/tokens/:id',
    { schema: { tags: ['identity'], summary: 'Revoke an API token', params: Type.Object({ id: Type.String({ maxLength: 100 }) }), response: { 204: Type.Null(), ...errors(401, 404) } } },
    async (request, reply) => {
      await revokeApiToken(deps, actorOf(request), request.params.id, { requestId: request.id });
      return reply.code(204).send(null);
    },
  );

  app.get('/api/v1/organizations', { schema: { tags: ['identity'], summary: 'Organisations', response: { 200: Page(Type.Ref('Organization')), ...errors(401) } } }, async (request) => {
    actorOf(request);
    return listOrganizations(deps);
  });
  app.post(
    '/api/v1/organizations',
    {
      schema: {
        tags: ['identity'],
        summary: 'Create an organisation (administrators)',
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 200 }),
            kind: Type.Union([Type.Literal('government'), Type.Literal('enterprise')]),
            marketRoles: Type.Optional(Type.Array(MarketRole, { maxItems: 3 })),
            jurisdictionCode: Type.Optional(Type.String({ pattern: '^\\d{6}$' })),
            regionCode: Type.Optional(Type.String({ pattern: '^\\d{6}$' })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Ref('Organization'), ...errors(400, 401, 403, 409, 422) },
      },
    },
    async (request, reply) => reply.code(201).send(await createOrganization(deps, actorOf(request), request.body, { requestId: request.id })),
  );

  app.get('/api/v1/users', { schema: { tags: ['identity'], summary: 'Users (administrators see all, others their organisation)', response: { 200: Page(Type.Ref('User')), ...errors(401) } } }, async (request) =>
    listUsers(deps, actorOf(request)),
  );
  app.post(
    '/api/v1/users',
    {
      schema: {
        tags: ['identity'],
        summary: 'Create a user (administrators)',
        body: Type.Object(
          {
            username: Type.String({ minLength: 2, maxLength: 64 }),
            displayName: Type.Optional(Type.String({ maxLength: 100 })),
            password: Type.String({ minLength: 1, maxLength: 256 }),
            orgId: Type.String({ maxLength: 100 }),
            isAdmin: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Ref('User'), ...errors(400, 401, 403, 409, 422) },
      },
    },
    async (request, reply) => reply.code(201).send(await createUser(deps, actorOf(request), request.body, { requestId: request.id })),
  );
}
