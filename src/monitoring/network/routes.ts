import { Type } from '@sinclair/typebox';
import type { Deps } from '../../deps.ts';
import { actorOf } from '../../http/auth.ts';
import { type App, errors, Nullable } from '../../http/types.ts';
import { LATENCY_LEVELS, latencyCircles, latencyMatrix } from './service.ts';

const Origin = Type.Union([Type.Literal('probe'), Type.Literal('demo')], { description: 'probe: measured by agents or remote_write; demo: generated from geography for the demo' });
const Model = Type.Object(
  {
    routeFactor: Type.Number({ description: 'fibre path length / great-circle distance' }),
    fibreKmPerMs: Type.Number({ description: 'propagation in fibre, km per ms' }),
    endpointMs: Type.Number({ description: 'fixed one-way latency at each end, ms' }),
    method: Type.String({ description: 'where the estimate is documented' }),
  },
  { description: 'one-way estimate = 2 × endpointMs + great-circle km × routeFactor / fibreKmPerMs; the round-trip estimate is twice that' },
);
const Endpoint = Type.Object({
  kind: Type.Union([Type.Literal('facility'), Type.Literal('city')]),
  id: Type.String({ description: 'facility id or 6-digit city code' }),
  name: Type.String(),
  computeId: Nullable(Type.String()),
  cityCode: Nullable(Type.String()),
});

export function networkRoutes(app: App, deps: Deps) {
  app.get(
    '/api/v1/network/latency',
    {
      schema: {
        tags: ['network'],
        summary: 'The latency matrix between hubs, provinces or cities (measured where probed, estimated from geography elsewhere) and the worst measured links',
        description:
          'Round trips (RTT, as probes measure them), with the one-way figure (RTT / 2) beside each pair. A pair of groups is the median over the city pairs between them (within a group on the diagonal), each city pair measured (city ↔ city rows, else the median of the facility rows between them) or estimated (twice the one-way model). A group stands for its cities that host a facility in operation. Worst links: measured rows whose round trip exceeds the round-trip estimate the most. Method: docs/methods/latency.md.',
        querystring: Type.Object({
          level: Type.Optional(Type.Union(LATENCY_LEVELS.map((l) => Type.Literal(l)), { default: 'hub', description: 'hub (the 8 national hubs), province, or city (needs region)' })),
          region: Type.Optional(
            Type.String({ pattern: '^(\\d{6}|(hub|cluster)-[a-z-]{1,60})$', description: 'a GB/T 2260 code (000000: the country) or a hub or cluster id: the nodes and worst links within it' }),
          ),
          worst: Type.Optional(Type.Integer({ minimum: 0, maximum: 100, default: 10, description: 'how many worst links' })),
        }),
        response: {
          200: Type.Object({
            level: Type.String(),
            region: Nullable(Type.String()),
            model: Model,
            nodes: Type.Array(
              Type.Object({
                id: Type.String({ description: 'hub id, province or city code' }),
                name: Type.String(),
                nameEn: Nullable(Type.String()),
                lon: Nullable(Type.Number()),
                lat: Nullable(Type.Number()),
                cities: Type.Integer({ description: 'cities that stand for the node' }),
              }),
            ),
            pairs: Type.Array(
              Type.Object({
                a: Type.String(),
                b: Type.String({ description: 'a = b: within the group' }),
                rttMs: Type.Number({ description: 'median round trip over the city pairs, ms' }),
                oneWayMs: Type.Number({ description: 'rttMs / 2: the one-way figure circles and demand bounds use, ms' }),
                minRttMs: Type.Number({ description: 'smallest round trip of the city pairs, ms' }),
                maxRttMs: Type.Number({ description: 'largest round trip of the city pairs, ms' }),
                estimateRttMs: Type.Number({ description: 'median of the round-trip estimates of the same city pairs, ms' }),
                cityPairs: Type.Integer(),
                measuredPairs: Type.Integer(),
                basis: Type.Union([Type.Literal('measured'), Type.Literal('estimated'), Type.Literal('mixed')]),
                origin: Nullable(Origin),
              }),
            ),
            worstLinks: Type.Array(
              Type.Object({
                source: Endpoint,
                target: Endpoint,
                rttMs: Type.Number({ description: 'measured round trip, ms' }),
                estimateRttMs: Type.Number({ description: 'round-trip estimate between the two nodes, ms' }),
                excessRttMs: Type.Number({ description: 'rttMs − estimateRttMs' }),
                origin: Origin,
                samples: Type.Integer(),
                measuredAt: Type.String({ format: 'date-time' }),
              }),
            ),
            measuredRows: Type.Integer({ description: 'rows in the matrix' }),
            newestMeasurement: Nullable(Type.String({ format: 'date-time' })),
          }),
          ...errors(400, 401, 422),
        },
      },
    },
    async (request) => latencyMatrix(deps, actorOf(request), request.query),
  );

  app.get(
    '/api/v1/network/circles',
    {
      schema: {
        tags: ['network'],
        summary: 'Latency circles of a city: the facilities in operation it reaches within 1 ms (city), 5 ms (province) and 20 ms (hub), one-way',
        description:
          'The circles are one-way latency (单向时延), as the national policy quotes them; a facility is in a circle when half its round trip is within the bound. Per facility the measured round trip from the city PoP when there is one, else derived from measured legs (city ↔ the facility’s city + its access leg), else estimated from geography (twice the one-way model); each entry says which, with its one-way figure. Circles are cumulative. A county code stands for its city.',
        querystring: Type.Object({
          city: Type.String({ pattern: '^\\d{6}$', description: 'a city code (GB/T 2260), e.g. 140200; a county code stands for its city' }),
          limit: Type.Optional(Type.Integer({ minimum: 0, maximum: 5000, default: 200, description: 'facilities listed at most, nearest first' })),
        }),
        response: {
          200: Type.Object({
            city: Type.Object({ code: Type.String(), name: Type.String(), provinceCode: Type.String(), lon: Type.Number(), lat: Type.Number() }),
            requested: Type.String(),
            model: Model,
            circles: Type.Array(
              Type.Object({
                key: Type.Union([Type.Literal('city'), Type.Literal('province'), Type.Literal('hub')]),
                maxOneWayMs: Type.Number({ description: 'the circle’s bound, one-way ms' }),
                radiusKm: Type.Integer({ description: 'the great-circle radius the one-way model gives for maxOneWayMs' }),
                facilities: Type.Integer(),
                racksDesigned: Type.Number(),
                racksInUse: Type.Number(),
                byBasis: Type.Object({ measured: Type.Integer(), derived: Type.Integer(), estimated: Type.Integer() }),
              }),
            ),
            facilities: Type.Array(
              Type.Object({
                id: Type.String(),
                computeId: Type.String(),
                name: Type.String(),
                regionCode: Type.String(),
                cityCode: Nullable(Type.String()),
                lon: Type.Number(),
                lat: Type.Number(),
                racksDesigned: Type.Number(),
                racksInUse: Type.Number(),
                oneWayMs: Type.Number({ description: 'rttMs / 2: what the circle is decided on, ms' }),
                rttMs: Type.Number({ description: 'round trip from the city PoP (measured, derived or estimated), ms' }),
                basis: Type.Union([Type.Literal('measured'), Type.Literal('derived'), Type.Literal('estimated')]),
                origin: Nullable(Origin),
                circle: Type.Union([Type.Literal('city'), Type.Literal('province'), Type.Literal('hub')], { description: 'the smallest circle the facility is in' }),
              }),
            ),
            total: Type.Integer({ description: 'facilities within the 20 ms (one-way) circle' }),
            truncated: Type.Boolean(),
          }),
          ...errors(400, 401, 404, 422),
        },
      },
    },
    async (request) => latencyCircles(deps, actorOf(request), request.query),
  );
}
