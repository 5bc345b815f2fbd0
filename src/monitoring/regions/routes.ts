import { Type } from '@sinclair/typebox';
import type { Deps } from '../../deps.ts';
import { actorOf } from '../../http/auth.ts';
import { type App, errors, Nullable } from '../../http/types.ts';
import { regionAggregates } from './service.ts';

const Ratio = Nullable(Type.Number());
const FigureName = Type.Union([
  Type.Literal('rackUtilization'),
  Type.Literal('itPowerKw'),
  Type.Literal('pue'),
  Type.Literal('acceleratorUtilization'),
  Type.Literal('accelerators'),
  Type.Literal('availability'),
]);
const Figures = {
  rackUtilization: Type.Object({
    average: Nullable(Type.Number({ description: 'mean of the facilities’ rack utilisation (0–1)' })),
    weighted: Nullable(Type.Number({ description: 'weighted by racks designed: Σ u·racks / Σ racks' })),
  }),
  itPowerKw: Nullable(Type.Number({ description: 'Σ IT power, kW' })),
  pue: Nullable(Type.Number({ description: 'power-weighted: Σ PUE·P / Σ P (= total facility power / IT power)' })),
  acceleratorUtilization: Nullable(Type.Number({ description: 'weighted by accelerators (reported, else registered), 0–1' })),
  accelerators: Type.Object({ healthy: Nullable(Type.Number()), total: Nullable(Type.Number()) }),
  availability: Ratio,
  contributors: Type.Object(
    {
      rackUtilization: Type.Integer(),
      itPowerKw: Type.Integer(),
      pue: Type.Integer(),
      acceleratorUtilization: Type.Integer(),
      accelerators: Type.Integer(),
      availability: Type.Integer(),
    },
    { description: 'how many facilities each figure rests on' },
  ),
  withheld: Type.Array(FigureName, { description: 'figures withheld (null) because they would rest on 1–2 facilities whose telemetry you may not see' }),
};
const Counts = Type.Object({
  registered: Type.Integer({ description: 'facilities in the ledger' }),
  inOperation: Type.Integer(),
  connected: Type.Integer({ description: 'facilities that have sent telemetry' }),
  reporting: Type.Integer({ description: 'connected, with a sample in the last silentAfterSeconds' }),
  silent: Type.Integer({ description: 'connected, without a sample in the last silentAfterSeconds' }),
});

export function monitoringRegionRoutes(app: App, deps: Deps) {
  app.get(
    '/api/v1/monitoring/regions/:code',
    {
      schema: {
        tags: ['monitoring'],
        summary: 'Live situation (态势感知) of a region: telemetry aggregates now, per child region or facility, and over a range',
        description:
          '000000 is the country; province, city and county codes as in GET /api/v1/regions. Children: provinces of the country, cities of a province; a city or county lists its facilities instead (only those whose telemetry you may see). A figure that would rest on 1–2 facilities whose telemetry you may not see is withheld (null, named in `withheld`). The trend is `range` (24h: 5 min buckets, 7d and 30d: hourly) or `from`/`to` (resolution as the series API, never raw).',
        params: Type.Object({ code: Type.String({ maxLength: 12 }) }),
        querystring: Type.Object({
          range: Type.Optional(Type.Union([Type.Literal('24h'), Type.Literal('7d'), Type.Literal('30d')], { description: 'the trend’s range; default 24h' })),
          from: Type.Optional(Type.String({ maxLength: 40, description: 'ISO 8601 or Unix seconds; default one day before `to`' })),
          to: Type.Optional(Type.String({ maxLength: 40, description: 'ISO 8601 or Unix seconds; default now' })),
          trend: Type.Optional(Type.Boolean({ default: true, description: 'false: leave the trend out (null), for a client polling the live figures' })),
        }),
        response: {
          200: Type.Object({
            region: Type.Object({ code: Type.String(), name: Type.String(), shortName: Type.String(), level: Type.String() }),
            at: Type.String({ format: 'date-time', description: 'the moment the figures are for (the platform clock)' }),
            silentAfterSeconds: Type.Integer(),
            minHiddenFacilities: Type.Integer({ description: 'a published figure rests on none or at least this many facilities you may not see' }),
            totals: Type.Object({ facilities: Counts, ...Figures }),
            childLevel: Type.Union([Type.Literal('province'), Type.Literal('city'), Type.Literal('facility')]),
            children: Type.Array(
              Type.Object({ code: Type.String(), name: Type.String(), shortName: Type.String(), lon: Nullable(Type.Number()), lat: Nullable(Type.Number()), facilities: Counts, ...Figures }),
            ),
            facilities: Type.Array(
              Type.Object({
                id: Type.String(),
                name: Type.String(),
                computeId: Type.String(),
                regionCode: Type.String(),
                status: Type.Union([Type.Literal('reporting'), Type.Literal('silent')]),
                lastSampleAt: Type.String({ format: 'date-time' }),
                racksDesigned: Type.Number(),
                ...Figures,
              }),
            ),
            hiddenFacilities: Type.Integer({ description: 'facilities of a city or county with telemetry that you may not see, not listed' }),
            trend: Nullable(
              Type.Object({
              from: Type.String({ format: 'date-time' }),
              to: Type.String({ format: 'date-time' }),
              resolution: Type.String(),
              stepSeconds: Type.Integer(),
              source: Type.Union([Type.Literal('raw'), Type.Literal('rollup'), Type.Literal('rollup+raw')]),
              points: Type.Array(Type.Object({ ts: Type.String({ format: 'date-time' }), facilities: Type.Integer({ description: 'facilities with values in the bucket' }), ...Figures })),
              }),
            ),
          }),
          ...errors(400, 401, 404),
        },
      },
    },
    async (request) => regionAggregates(deps, actorOf(request), request.params.code, request.query),
  );
}
