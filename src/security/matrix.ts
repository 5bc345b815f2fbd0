/**
 * The authorisation matrix as data: for every route of the OpenAPI document, the rule that guards
 * it and the status each kind of actor gets for a well-formed request against the walk's fixtures
 * (test/integration/authz.test.ts builds them: an approved facility in 大同 owned by supplier A,
 * a submitted and a draft registration of supplier A there, an API token of supplier A's user).
 * The walk fails when a route of the document is missing here, or a row names a route that is gone.
 * docs/security.md renders this table (`npx node src/security/matrix-doc.ts`).
 */

/** The kinds of actor the walk signs in as. */
export const ACTORS = ['anonymous', 'admin', 'govNational', 'govInRegion', 'govOutOfRegion', 'supplierOwner', 'supplierOther', 'demander', 'provider'] as const;
export type ActorKind = (typeof ACTORS)[number];

export const ACTOR_DESCRIPTIONS: Record<ActorKind, string> = {
  anonymous: 'no credentials',
  admin: 'platform administrator',
  govNational: 'national government body (jurisdiction 000000)',
  govInRegion: 'provincial government whose region covers the object (山西 140000)',
  govOutOfRegion: 'provincial government of another region (江苏 320000)',
  supplierOwner: 'supplier A, owner of the facility and registrations',
  supplierOther: 'supplier B, owns nothing of the fixtures',
  demander: 'demander (market role)',
  provider: 'service provider (market role)',
};

/**
 * public: anyone · authenticated: any signed-in user · admin: platform administrators ·
 * supplier: organisations with the supplier market role · government: any government body ·
 * owner: the owning organisation only · owner-or-admin: the owner or an administrator ·
 * jurisdiction: a government reviewer whose region covers the object (and administrators) ·
 * owner-or-jurisdiction: the owner, or a reviewer whose region covers the object (and administrators) ·
 * government-or-owner: any government body, administrators, and the owning organisation ·
 * ingest-token: a facility's ingestion token, never a user token.
 */
export type Rule =
  | 'public'
  | 'authenticated'
  | 'admin'
  | 'supplier'
  | 'government'
  | 'owner'
  | 'owner-or-admin'
  | 'jurisdiction'
  | 'owner-or-jurisdiction'
  | 'government-or-owner'
  | 'ingest-token'
  | 'demander'
  | 'provider'
  | 'buyer'
  | 'party'
  | 'party-or-jurisdiction'
  | 'demand-owner-or-jurisdiction';

export const RULE_DESCRIPTIONS: Record<Rule, string> = {
  public: 'anyone, no credentials',
  authenticated: 'any signed-in user',
  admin: 'platform administrators',
  supplier: 'organisations with the supplier market role',
  government: 'any government body (and administrators)',
  owner: 'the owning organisation only',
  'owner-or-admin': 'the owner, or an administrator',
  jurisdiction: 'a government reviewer whose jurisdiction covers the object, or an administrator',
  'owner-or-jurisdiction': 'the owner, or a reviewer whose jurisdiction covers the object, or an administrator',
  'government-or-owner': 'any government body, an administrator, or the owning organisation',
  'ingest-token': "a facility's ingestion token only; every user token is refused (the walk checks the ingestion token separately)",
  demander: 'organisations with the demander market role',
  provider: 'organisations with the service provider market role',
  buyer: 'the buying organisation of the order only',
  party: "the order's two parties: the buyer and the offer's supplier",
  'party-or-jurisdiction': "the order's two parties, a government whose jurisdiction covers the facility, or an administrator",
  'demand-owner-or-jurisdiction': 'the demanding organisation, a government whose jurisdiction covers the place the demand names, or an administrator',
};

/** Which actors a rule lets through; a row's 2xx cells must be exactly these (a unit test checks it). */
export const RULE_ALLOWS: Record<Rule, readonly ActorKind[]> = {
  public: ACTORS,
  authenticated: ACTORS.filter((a) => a !== 'anonymous'),
  admin: ['admin'],
  supplier: ['supplierOwner', 'supplierOther'],
  government: ['admin', 'govNational', 'govInRegion', 'govOutOfRegion'],
  owner: ['supplierOwner'],
  'owner-or-admin': ['admin', 'supplierOwner'],
  jurisdiction: ['admin', 'govNational', 'govInRegion'],
  'owner-or-jurisdiction': ['admin', 'govNational', 'govInRegion', 'supplierOwner'],
  'government-or-owner': ['admin', 'govNational', 'govInRegion', 'govOutOfRegion', 'supplierOwner'],
  'ingest-token': [],
  demander: ['demander'],
  provider: ['provider'],
  buyer: ['demander'],
  party: ['supplierOwner', 'demander'],
  'party-or-jurisdiction': ['admin', 'govNational', 'govInRegion', 'supplierOwner', 'demander'],
  'demand-owner-or-jurisdiction': ['admin', 'govNational', 'govInRegion', 'demander'],
};

export interface MatrixRow {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  rule: Rule;
  expect: Record<ActorKind, number>;
  note?: string;
}

const row = (method: MatrixRow['method'], path: string, rule: Rule, statuses: number[], note?: string): MatrixRow => {
  if (statuses.length !== ACTORS.length) throw new Error(`${method} ${path}: give ${ACTORS.length} statuses, one per actor`);
  return { method, path, rule, expect: Object.fromEntries(ACTORS.map((a, i) => [a, statuses[i]])) as Record<ActorKind, number>, ...(note ? { note } : {}) };
};

const all = (status: number) => ACTORS.map(() => status);
const signedIn = (status: number) => [401, ...ACTORS.slice(1).map(() => status)];

// prettier-ignore
export const MATRIX: readonly MatrixRow[] = [
  //   method    path                                       rule                      anon admin nat  in   out  own  oth  dem  prov
  row('GET',    '/healthz',                                 'public',                 all(200)),
  row('GET',    '/readyz',                                  'public',                 all(200)),
  row('GET',    '/metrics',                                 'public',                 all(200), 'request counts and latencies by route, no business data'),
  row('GET',    '/api/v1/meta',                             'public',                 all(200)),
  row('POST',   '/api/v1/auth/login',                       'public',                 all(200), 'rate-limited per address and username; lock-out after 5 failures'),
  row('POST',   '/api/v1/auth/logout',                      'authenticated',          signedIn(204), 'revokes the calling token only'),
  row('GET',    '/api/v1/auth/me',                          'authenticated',          signedIn(200)),
  row('GET',    '/api/v1/auth/tokens',                      'authenticated',          signedIn(200), "the caller's own tokens"),
  row('POST',   '/api/v1/auth/tokens',                      'authenticated',          signedIn(201)),
  row('DELETE', '/api/v1/auth/tokens/{id}',                 'owner-or-admin',         [401, 204, 404, 404, 404, 204, 404, 404, 404], "another user's token is not visible: 404"),
  row('GET',    '/api/v1/organizations',                    'authenticated',          signedIn(200)),
  row('POST',   '/api/v1/organizations',                    'admin',                  [401, 201, 403, 403, 403, 403, 403, 403, 403]),
  row('GET',    '/api/v1/users',                            'authenticated',          signedIn(200), 'administrators see all users, others their own organisation'),
  row('POST',   '/api/v1/users',                            'admin',                  [401, 201, 403, 403, 403, 403, 403, 403, 403]),
  row('GET',    '/api/v1/regions',                          'public',                 all(200)),
  row('GET',    '/api/v1/regions/groups',                   'public',                 all(200)),
  row('GET',    '/api/v1/regions/{code}',                   'public',                 all(200)),
  row('GET',    '/api/v1/facilities',                       'authenticated',          signedIn(200), 'the approved ledger; field-level sovereignty is not built yet'),
  row('GET',    '/api/v1/facilities/{id}',                  'authenticated',          signedIn(200)),
  row('GET',    '/api/v1/facilities/{id}/history',          'authenticated',          signedIn(200)),
  row('GET',    '/api/v1/facilities/export',                'authenticated',          signedIn(200)),
  row('POST',   '/api/v1/facilities/import',                'owner-or-jurisdiction',  [401, 200, 200, 200, 422, 200, 422, 403, 403], 'checked per row: a reviewer imports rows in its jurisdiction, a supplier its own facilities (as registrations); other rows fail with 422'),
  row('GET',    '/api/v1/catalogue/accelerators',           'public',                 all(200)),
  row('GET',    '/api/v1/registrations',                    'authenticated',          signedIn(200), 'scoped: a supplier sees its organisation, a reviewer its jurisdiction'),
  row('POST',   '/api/v1/registrations',                    'supplier',               [401, 403, 403, 403, 403, 201, 201, 403, 403]),
  row('GET',    '/api/v1/registrations/{id}',               'owner-or-jurisdiction',  [401, 200, 200, 200, 404, 200, 404, 404, 404], 'not visible: 404'),
  row('GET',    '/api/v1/registrations/{id}/history',       'owner-or-jurisdiction',  [401, 200, 200, 200, 404, 200, 404, 404, 404], 'not visible: 404'),
  row('PUT',    '/api/v1/registrations/{id}',               'owner',                  [401, 403, 403, 403, 404, 200, 404, 404, 404], 'visible but not yours: 403 NOT_OWNER; not visible: 404'),
  row('POST',   '/api/v1/registrations/{id}/submit',        'owner',                  [401, 403, 403, 403, 404, 200, 404, 404, 404], 'visible but not yours: 403 NOT_OWNER; not visible: 404'),
  row('POST',   '/api/v1/registrations/{id}/approve',       'jurisdiction',           [401, 200, 200, 200, 403, 403, 403, 403, 403], '403 NOT_A_REVIEWER / OUT_OF_JURISDICTION (the id is unguessable; the answer names no data)'),
  row('POST',   '/api/v1/registrations/{id}/reject',        'jurisdiction',           [401, 200, 200, 200, 403, 403, 403, 403, 403], 'as approve'),
  row('GET',    '/api/v1/analytics/overview',               'authenticated',          signedIn(200), 'aggregates only'),
  row('GET',    '/api/v1/index',                            'authenticated',          signedIn(200), 'aggregates; DESIGN.md calls the index public, the route asks for sign-in'),
  row('GET',    '/api/v1/index/sensitivity',                'authenticated',          signedIn(200), 'as index'),
  row('POST',   '/api/v1/facilities/{id}/ingest-tokens',    'owner-or-admin',         [401, 201, 403, 403, 404, 201, 404, 404, 404], 'a reviewer of the region sees the facility: 403 NOT_FACILITY_OWNER; others 404'),
  row('GET',    '/api/v1/facilities/{id}/ingest-tokens',    'owner-or-admin',         [401, 200, 403, 403, 404, 200, 404, 404, 404], 'as above; secrets are never listed'),
  row('DELETE', '/api/v1/facilities/{id}/ingest-tokens/{tokenId}', 'owner-or-admin',  [401, 204, 403, 403, 404, 204, 404, 404, 404], 'as above'),
  row('GET',    '/api/v1/facilities/{id}/series',           'owner-or-jurisdiction',  [401, 200, 200, 200, 403, 200, 403, 403, 403], '403 TELEMETRY_NOT_VISIBLE (the facility itself is in the public ledger)'),
  row('GET',    '/api/v1/facilities/{id}/metrics/latest',   'owner-or-jurisdiction',  [401, 200, 200, 200, 403, 200, 403, 403, 403], 'as series'),
  row('GET',    '/api/v1/monitoring/regions/{code}',        'authenticated',          signedIn(200), 'aggregates, as the overview; a figure resting on 1–2 facilities the caller may not see is withheld, a city lists only facilities whose telemetry the caller may see'),
  row('GET',    '/api/v1/network/latency',                  'authenticated',          signedIn(200), 'latency between hubs, provinces and cities is not commercially sensitive; worst links name facilities of the ledger, which every signed-in user reads'),
  row('GET',    '/api/v1/network/circles',                  'authenticated',          signedIn(200), 'the facilities in operation within 1/5/20 ms of a city, with their ledger figures (racks)'),
  row('POST',   '/api/v1/write',                            'ingest-token',           all(401), 'Prometheus remote_write; user tokens get 401 INVALID_INGEST_TOKEN'),
  row('POST',   '/api/v1/metrics',                          'ingest-token',           all(401), 'JSON push; as remote_write'),
  row('GET',    '/api/v1/alert-rules',                      'authenticated',          signedIn(200), "scoped: the caller's organisation's rules, and for a government body those watching its jurisdiction"),
  row('POST',   '/api/v1/alert-rules',                      'owner-or-jurisdiction',  [401, 201, 201, 201, 403, 201, 403, 403, 403], 'a rule on the fixture facility: 403 OUT_OF_JURISDICTION, NOT_FACILITY_OWNER, ALERT_RULES_NOT_ALLOWED (demander, provider)'),
  row('GET',    '/api/v1/alert-rules/{id}',                 'owner-or-jurisdiction',  [401, 200, 200, 200, 404, 200, 404, 404, 404], "supplier A's rule on its facility; not visible: 404"),
  row('PUT',    '/api/v1/alert-rules/{id}',                 'owner-or-admin',         [401, 200, 403, 403, 404, 200, 404, 404, 404], 'If-Match; a reviewer who sees the rule gets 403 NOT_RULE_OWNER'),
  row('DELETE', '/api/v1/alert-rules/{id}',                 'owner-or-admin',         [401, 204, 403, 403, 404, 204, 404, 404, 404], 'as PUT'),
  row('GET',    '/api/v1/alerts',                           'authenticated',          signedIn(200), "scoped: alerts of the caller's facilities, of its jurisdiction for a government body, all for administrators"),
  row('GET',    '/api/v1/alerts/{id}',                      'owner-or-jurisdiction',  [401, 200, 200, 200, 404, 200, 404, 404, 404], "an alert at the fixture facility; not visible: 404"),
  row('GET',    '/api/v1/market/products',                  'public',                 all(200), 'standard product templates of the compute supermarket'),
  row('POST',   '/api/v1/offers',                           'owner',                  [401, 403, 403, 403, 403, 201, 403, 403, 403], 'on its own approved facility: 403 NOT_A_SUPPLIER, NOT_FACILITY_OWNER'),
  row('GET',    '/api/v1/offers',                           'authenticated',          signedIn(200), 'prices and free capacity are shown to every signed-in market participant (docs/market.md § Visibility)'),
  row('GET',    '/api/v1/offers/{id}',                      'authenticated',          signedIn(200), 'as the list'),
  row('PATCH',  '/api/v1/offers/{id}',                      'owner',                  [401, 403, 403, 403, 403, 200, 403, 403, 403], 'If-Match; the offer is visible to all: 403 NOT_OFFER_OWNER'),
  row('POST',   '/api/v1/offers/{id}/withdraw',             'owner',                  [401, 403, 403, 403, 403, 200, 403, 403, 403], 'as PATCH'),
  row('POST',   '/api/v1/demands',                          'demander',               [401, 403, 403, 403, 403, 403, 403, 201, 403], '403 NOT_A_DEMANDER'),
  row('GET',    '/api/v1/demands',                          'authenticated',          signedIn(200), "scoped: the caller's organisation's demands; a government those naming a place in its jurisdiction"),
  row('GET',    '/api/v1/demands/{id}',                     'demand-owner-or-jurisdiction', [401, 200, 200, 200, 404, 404, 404, 200, 404], 'a demand naming 大同; not visible: 404'),
  row('GET',    '/api/v1/demands/{id}/matches',             'demand-owner-or-jurisdiction', [401, 200, 200, 200, 404, 404, 404, 200, 404], 'as the demand'),
  row('POST',   '/api/v1/matching/batch',                   'government',             [401, 200, 200, 200, 200, 403, 403, 403, 403], 'over the open demands of the caller\'s jurisdiction; 403 NOT_A_GOVERNMENT'),
  row('POST',   '/api/v1/services',                         'provider',               [401, 403, 403, 403, 403, 403, 403, 403, 201], '403 NOT_A_PROVIDER'),
  row('GET',    '/api/v1/services',                         'authenticated',          signedIn(200)),
  row('GET',    '/api/v1/services/{id}',                    'authenticated',          signedIn(200)),
  row('POST',   '/api/v1/orders',                           'demander',               [401, 403, 403, 403, 403, 403, 403, 201, 403], 'Idempotency-Key required; 403 NOT_A_DEMANDER'),
  row('GET',    '/api/v1/orders',                           'authenticated',          signedIn(200), "scoped: an enterprise's orders as buyer or supplier; a government those at facilities in its jurisdiction"),
  row('GET',    '/api/v1/orders/{id}',                      'party-or-jurisdiction',  [401, 200, 200, 200, 404, 200, 404, 200, 404], 'contracts are not public: not visible: 404'),
  row('POST',   '/api/v1/orders/{id}/confirm',              'buyer',                  [401, 403, 403, 403, 404, 403, 404, 200, 404], 'visible but not the buyer: 403 NOT_THE_BUYER; not visible: 404'),
  row('POST',   '/api/v1/orders/{id}/activate',             'owner',                  [401, 403, 403, 403, 404, 200, 404, 403, 404], 'the supplier of the offer; visible otherwise: 403 NOT_THE_SUPPLIER'),
  row('POST',   '/api/v1/orders/{id}/cancel',               'party',                  [401, 403, 403, 403, 404, 200, 404, 200, 404], 'visible but no party: 403 NOT_A_PARTY; not visible: 404'),
  row('POST',   '/api/v1/orders/{id}/complete',             'party',                  [401, 403, 403, 403, 404, 200, 404, 200, 404], 'as cancel'),
  row('POST',   '/api/v1/orders/{id}/dispute',              'party',                  [401, 403, 403, 403, 404, 200, 404, 200, 404], 'as cancel'),
  row('POST',   '/api/v1/orders/{id}/usage',                'owner',                  [401, 403, 403, 403, 404, 201, 404, 403, 404], 'metered use, by the supplier of the offer'),
  row('GET',    '/api/v1/orders/{id}/statement',            'party-or-jurisdiction',  [401, 200, 200, 200, 404, 200, 404, 200, 404], 'settlement follows the order'),
  row('POST',   '/api/v1/orders/{id}/rating',               'buyer',                  [401, 403, 403, 403, 404, 403, 404, 201, 404], 'a completed order, once'),
  row('GET',    '/api/v1/audit/public-key',                 'public',                 all(200), 'the Ed25519 key that signs audit checkpoints'),
  row('GET',    '/api/v1/audit/verify',                     'admin',                  [401, 200, 403, 403, 403, 403, 403, 403, 403], 'walks the whole chain; the CLI `suanli audit verify` needs no account'),
  row('GET',    '/api/v1/audit/entries',                    'government-or-owner',    [401, 200, 200, 200, 200, 200, 403, 403, 403], 'government bodies of any region read the log; a supplier its own facilities and registrations: 403 AUDIT_NOT_VISIBLE'),
  row('GET',    '/api/v1/audit/entries/{seq}/proof',        'government-or-owner',    [401, 200, 200, 200, 200, 200, 403, 403, 403], 'as entries, by the object of the entry'),
];

export const matrixKey = (row: Pick<MatrixRow, 'method' | 'path'>) => `${row.method} ${row.path}`;

export const isAllowed = (status: number) => status >= 200 && status < 300;

/** Rows whose 2xx cells differ from what their rule allows: should be none. */
export function inconsistentRows(rows: readonly MatrixRow[] = MATRIX): string[] {
  const problems: string[] = [];
  for (const r of rows) {
    for (const actor of ACTORS) {
      const ruleSays = RULE_ALLOWS[r.rule].includes(actor);
      if (ruleSays !== isAllowed(r.expect[actor])) problems.push(`${matrixKey(r)}: rule ${r.rule} ${ruleSays ? 'allows' : 'denies'} ${actor} but the row expects ${r.expect[actor]}`);
    }
  }
  return problems;
}

const HEADERS: Record<ActorKind, string> = {
  anonymous: 'anon',
  admin: 'admin',
  govNational: 'gov national',
  govInRegion: 'gov in region',
  govOutOfRegion: 'gov out of region',
  supplierOwner: 'supplier owner',
  supplierOther: 'supplier other',
  demander: 'demander',
  provider: 'provider',
};

/** The matrix as a Markdown table (docs/security.md). */
export function renderMatrix(rows: readonly MatrixRow[] = MATRIX): string {
  const lines = [
    `| route | rule | ${ACTORS.map((a) => HEADERS[a]).join(' | ')} | note |`,
    `| --- | --- | ${ACTORS.map(() => '---').join(' | ')} | --- |`,
    ...rows.map((r) => `| \`${r.method} ${r.path}\` | ${r.rule} | ${ACTORS.map((a) => (isAllowed(r.expect[a]) ? `**${r.expect[a]}**` : String(r.expect[a]))).join(' | ')} | ${r.note ?? ''} |`),
  ];
  return lines.join('\n');
}
