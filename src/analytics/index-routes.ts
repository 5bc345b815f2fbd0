import { type TSchema, Type } from '@sinclair/typebox';
import type { Deps } from '../deps.ts';
import { actorOf } from '../http/auth.ts';
import { type App, errors, Nullable } from '../http/types.ts';
import { DIMENSIONS } from './index-method.ts';
import { computeIndex, computeIndexSensitivity } from './index-service.ts';

const byDimension = (schema: TSchema) => Type.Object(Object.fromEntries(DIMENSIONS.map((dimension) => [dimension, schema])));

const Weights = Type.Object(
  { dimensions: byDimension(Type.Number()), indicators: Type.Record(Type.String(), Type.Number()) },
  { description: 'Normalised: dimension weights sum to 1; within each dimension, sub-indicator weights sum to 1' },
);

const Header = {
  level: Type.Union([Type.Literal('province'), Type.Literal('city')]),
  year: Nullable(Type.Integer()),
  selection: Type.Object({ status: Type.String(), enteredLedgerBefore: Nullable(Type.String()) }),
  weights: Weights,
  method: Type.String({ description: 'The document describing the method' }),
  version: Type.String({ description: 'Version of the method; changes when a formula, scale or default weight changes' }),
};

const Indicator = Type.Object({
  id: Type.String(),
  dimension: Type.String(),
  name: Type.String(),
  unit: Type.String(),
  direction: Type.Union([Type.Literal('higher'), Type.Literal('lower')]),
  scale: Type.Union([Type.Literal('linear'), Type.Literal('log')]),
  source: Type.String(),
  available: Type.Boolean(),
});

const Dimension = Type.Object({
  score: Type.Number(),
  weight: Type.Number(),
  available: Type.Boolean(),
  indicators: Type.Record(Type.String(), Type.Object({ value: Nullable(Type.Number()), score: Type.Number(), weight: Type.Number() })),
});

const Query = Type.Object({
  level: Type.Optional(Type.Union([Type.Literal('province'), Type.Literal('city')], { default: 'province' })),
  weights: Type.Optional(Type.String({ maxLength: 4000, description: 'JSON object or id:weight pairs, e.g. compute:0.4,environment:0.3; ids not given keep their default' })),
  year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100, description: 'Facilities entered in the ledger by the end of that year (current figures)' })),
});

export function indexRoutes(app: App, deps: Deps) {
  app.get(
    '/api/v1/index',
    {
      schema: {
        tags: ['analytics'],
        summary: 'Comprehensive computing power index (综合算力指数) of every province or city, ranked; method in docs/methods/index.md',
        querystring: Query,
        response: {
          200: Type.Object({
            ...Header,
            indicators: Type.Array(Indicator),
            regions: Type.Array(
              Type.Object({ code: Type.String(), name: Type.String(), rank: Type.Integer(), score: Type.Number(), scoreRounded: Type.Number(), dimensions: byDimension(Dimension) }),
            ),
          }),
          ...errors(400, 401),
        },
      },
    },
    async (request) => {
      actorOf(request);
      const { level = 'province', weights, year } = request.query;
      return computeIndex(deps, { level, weights, year });
    },
  );

  app.get(
    '/api/v1/index/sensitivity',
    {
      schema: {
        tags: ['analytics'],
        summary: 'Sensitivity of the index: every rank when each dimension weight moves by −20% and +20%',
        querystring: Query,
        response: {
          200: Type.Object({
            ...Header,
            step: Type.Number(),
            maxRankShift: Type.Integer(),
            regions: Type.Array(
              Type.Object({ code: Type.String(), name: Type.String(), rank: Type.Integer(), score: Type.Number(), bestRank: Type.Integer(), worstRank: Type.Integer(), maxRankShift: Type.Integer() }),
            ),
            scenarios: Type.Array(
              Type.Object({
                dimension: Type.String(),
                change: Type.Number(),
                weights: byDimension(Type.Number()),
                maxRankShift: Type.Integer(),
                ranks: Type.Array(Type.Object({ code: Type.String(), rank: Type.Integer(), shift: Type.Integer() })),
              }),
            ),
          }),
          ...errors(400, 401),
        },
      },
    },
    async (request) => {
      actorOf(request);
      const { level = 'province', weights, year } = request.query;
      return computeIndexSensitivity(deps, { level, weights, year });
    },
  );
}
