import { Type } from '@sinclair/typebox';
import type { Deps } from '../deps.ts';
import { badRequest } from '../errors.ts';
import { actorOf } from '../http/auth.ts';
import { type App, errors } from '../http/types.ts';
import { FacilityListQuery } from './schema.ts';
import { EXPORT_CONTENT_TYPES, exportFacilities, exportFileName, importFacilities, MAX_IMPORT_ROWS, sniffFormat, type TransferFormat } from './transfer.ts';

const IMPORT_BODY_LIMIT = 20 * 1024 * 1024;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
// Browsers on Windows label .csv files application/vnd.ms-excel; the content decides.
const FILE_TYPES = ['text/csv', XLSX_TYPE, 'application/octet-stream', 'application/vnd.ms-excel'];

const Format = Type.Union([Type.Literal('csv'), Type.Literal('xlsx')]);

const ImportReport = Type.Object(
  {
    format: Format,
    rows: Type.Integer({ description: 'Data rows in the file (blank rows not counted)' }),
    valid: Type.Integer(),
    invalid: Type.Integer(),
    imported: Type.Integer({ description: 'Facilities entered into the ledger, or registrations submitted (see target)' }),
    skipped: Type.Integer({ description: 'Invalid rows left out because skipInvalid was set' }),
    dryRun: Type.Boolean(),
    target: Type.Union([Type.Literal('ledger'), Type.Literal('registrations')], { description: "ledger for admins and government users; a supplier's rows become submitted registrations" }),
    errors: Type.Array(
      Type.Object({
        row: Type.Integer({ description: 'Spreadsheet row, 1-based; the header is row 1' }),
        column: Type.String({ description: 'Column key, e.g. racksInUse' }),
        code: Type.String(),
        message: Type.String(),
      }),
    ),
    errorsOmitted: Type.Integer({ description: 'Errors beyond the first 1000, counted but not listed' }),
  },
  { $id: 'ImportReport' },
);

const ImportQuery = Type.Object({
  format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('xlsx')], { description: 'Default: from the content type, else from the content' })),
  skipInvalid: Type.Optional(Type.Boolean({ default: false, description: 'Import the valid rows and list the invalid ones, instead of importing nothing' })),
  dryRun: Type.Optional(Type.Boolean({ default: false, description: 'Check and report as the import would, and write nothing' })),
});

const { limit: _limit, cursor: _cursor, ...listFilters } = FacilityListQuery.properties;
const ExportQuery = Type.Object({ format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('xlsx')], { default: 'csv' })), ...listFilters });

function formatOf(given: TransferFormat | undefined, contentType: string | undefined, body: Buffer): TransferFormat {
  if (given) return given;
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'text/csv') return 'csv';
  if (type === XLSX_TYPE) return 'xlsx';
  return sniffFormat(body);
}

/** POST /facilities/import and GET /facilities/export (docs/ledger.md "Import and export"). */
export function transferRoutes(app: App, deps: Deps) {
  app.addSchema(ImportReport);
  // The file parsers live in this scope only, so no other route accepts raw files.
  void app.register(async (scoped: App) => {
    scoped.addContentTypeParser(FILE_TYPES, { parseAs: 'buffer', bodyLimit: IMPORT_BODY_LIMIT }, (_request, body, done) => done(null, body));

    scoped.post(
      '/api/v1/facilities/import',
      {
        bodyLimit: IMPORT_BODY_LIMIT,
        schema: {
          tags: ['ledger'],
          summary: `Import facilities from CSV or XLSX (at most ${MAX_IMPORT_ROWS.toLocaleString('en')} rows, 20 MB): all or nothing unless skipInvalid; a supplier's rows become submitted registrations`,
          description:
            'Send the file itself as the body, with Content-Type text/csv or ' +
            `${XLSX_TYPE} (or application/octet-stream and format=…). ` +
            'Answers the row-by-row report; when a row is invalid and skipInvalid is not set, 422 IMPORT_INVALID with the report under `report` and nothing written.',
          querystring: ImportQuery,
          response: { 200: Type.Ref('ImportReport'), ...errors(400, 401, 403, 409, 413, 415, 422) },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        // text/plain arrives as a string through Fastify's own parser: a CSV all the same.
        const body = typeof request.body === 'string' ? Buffer.from(request.body, 'utf8') : request.body;
        if (!Buffer.isBuffer(body) || body.length === 0) throw badRequest('IMPORT_EMPTY_FILE', 'Send the CSV or XLSX file as the request body (Content-Type text/csv or the XLSX type).');
        const format = formatOf(request.query.format, request.headers['content-type'], body);
        return importFacilities(deps, actor, { requestId: request.id }, body, format, { skipInvalid: request.query.skipInvalid, dryRun: request.query.dryRun });
      },
    );

    scoped.get(
      '/api/v1/facilities/export',
      {
        schema: {
          tags: ['ledger'],
          summary: 'Download the facilities the list shows for the same filters, as CSV (UTF-8 with BOM) or XLSX; the columns are those of the import',
          querystring: ExportQuery,
          response: {
            200: {
              description: 'The file, as an attachment named facilities-YYYYMMDD.csv or .xlsx',
              content: {
                'text/csv': { schema: { type: 'string' } },
                [XLSX_TYPE]: { schema: { type: 'string', format: 'binary' } },
              },
            },
            ...errors(400, 401),
          },
        },
      },
      async (request, reply) => {
        actorOf(request);
        const format = request.query.format ?? 'csv';
        const file = await exportFacilities(deps, request.query, format);
        return reply
          .header('content-type', EXPORT_CONTENT_TYPES[format])
          .header('content-disposition', `attachment; filename="${exportFileName(format, deps.clock.now())}"`)
          .header('cache-control', 'no-store')
          .send(file as never);
      },
    );
  });
}
