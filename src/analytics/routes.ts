import { Type } from '@sinclair/typebox';
import type { Deps } from '../deps.ts';
import { actorOf } from '../http/auth.ts';
import { type App, errors, Nullable } from '../http/types.ts';
import { indexRoutes } from './index-routes.ts';
import { overview } from './service.ts';

const Summary = {
  facilities: Type.Integer(),
  inOperation: Type.Integer(),
  racksDesigned: Type.Number(),
  racksInUse: Type.Number(),
  rackUtilization: Nullable(Type.Number()),
  fp32Equivalent: Type.Number(),
  compute: Type.Object({ fp64: Type.Number(), fp32: Type.Number(), fp16: Type.Number(), int8: Type.Number() }),
  storagePb: Type.Number(),
  annualKwh: Type.Number(),
  avgPue: Nullable(Type.Number()),
  weightedPue: Nullable(Type.Number()),
};
const Breakdown = Type.Array(Type.Object({ key: Type.String(), count: Type.Integer(), racksDesigned: Type.Number(), fp32Equivalent: Type.Number() }));

export function analyticsRoutes(app: App, deps: Deps) {
  app.get(
    '/api/v1/analytics/overview',
    {
      schema: {
        tags: ['analytics'],
        summary: 'Overview (算力总览) of a region: totals, by status and kind, and per child region',
        querystring: Type.Object({ region: Type.Optional(Type.String({ pattern: '^\\d{6}$' })) }),
        response: {
          200: Type.Object({
            region: Type.Object({ code: Type.String(), name: Type.String(), level: Type.String() }),
            totals: Type.Object(Summary),
            byStatus: Breakdown,
            byKind: Breakdown,
            children: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), shortName: Type.String(), lon: Nullable(Type.Number()), lat: Nullable(Type.Number()), ...Summary })),
          }),
          ...errors(400, 401),
        },
      },
    },
    async (request) => {
      actorOf(request);
      return overview(deps, request.query.region);
    },
  );
  indexRoutes(app, deps);
}
