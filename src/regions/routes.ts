import { Type } from '@sinclair/typebox';
import { notFound } from '../errors.ts';
import { type App, errors, Nullable, Page } from '../http/types.ts';
import { ancestorsOf, childrenOf, loadRegions, regionIndex } from './dataset.ts';
import { regionGroups } from './groups.ts';

const RegionSchema = Type.Object(
  {
    code: Type.String(),
    name: Type.String(),
    shortName: Type.String(),
    level: Type.String(),
    parentCode: Nullable(Type.String()),
    provinceCode: Type.String(),
    cityCode: Nullable(Type.String()),
    lon: Nullable(Type.Number()),
    lat: Nullable(Type.Number()),
  },
  { $id: 'Region' },
);

const COUNTRY = { code: '000000', name: '全国', shortName: '全国', level: 'country', parentCode: null, provinceCode: '000000', cityCode: null, lon: 104.2, lat: 35.9 };

export function regionRoutes(app: App) {
  app.addSchema(RegionSchema);
  app.get(
    '/api/v1/regions',
    {
      schema: {
        tags: ['regions'],
        summary: 'Provinces, prefecture cities and counties with GB/T 2260 codes (public)',
        security: [],
        querystring: Type.Object({
          level: Type.Optional(Type.Union([Type.Literal('province'), Type.Literal('city'), Type.Literal('county')])),
          parent: Type.Optional(Type.String({ pattern: '^\\d{6}$' })),
          q: Type.Optional(Type.String({ maxLength: 50 })),
        }),
        response: { 200: Page(Type.Ref('Region')), ...errors(400) },
      },
    },
    async (request) => {
      const { level, parent, q } = request.query;
      let items = parent ? childrenOf(parent) : level ? loadRegions().filter((r) => r.level === level) : childrenOf(null);
      if (parent && level) items = items.filter((r) => r.level === level);
      if (q) items = (parent || level ? items : loadRegions()).filter((r) => r.name.includes(q) || r.shortName.includes(q) || r.code.startsWith(q));
      return { items, nextCursor: null, total: items.length };
    },
  );

  app.get(
    '/api/v1/regions/groups',
    {
      schema: {
        tags: ['regions'],
        summary: 'The 8 national hubs and 10 national data-centre clusters (东数西算) as named groups',
        security: [],
        response: {
          200: Page(
            Type.Object({ id: Type.String(), kind: Type.String(), name: Type.String(), nameEn: Type.String(), hubId: Type.Optional(Type.String()), regionCodes: Type.Array(Type.String()) }),
          ),
        },
      },
    },
    async () => {
      const items = regionGroups();
      return { items, nextCursor: null, total: items.length };
    },
  );

  app.get(
    '/api/v1/regions/:code',
    {
      schema: {
        tags: ['regions'],
        summary: 'One region with its path from the province down',
        security: [],
        params: Type.Object({ code: Type.String({ maxLength: 12 }) }),
        response: { 200: Type.Object({ region: Type.Ref('Region'), path: Type.Array(Type.Ref('Region')), children: Type.Integer() }), ...errors(404) },
      },
    },
    async (request) => {
      // 000000 stands for the whole country (a national body's jurisdiction): answer it like a region.
      if (request.params.code === COUNTRY.code) return { region: COUNTRY, path: [], children: childrenOf(null).length };
      const region = regionIndex().get(request.params.code);
      if (!region) throw notFound('Region', request.params.code);
      return { region, path: ancestorsOf(region.code), children: childrenOf(region.code).length };
    },
  );
}
