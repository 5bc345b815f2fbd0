import type { Deps } from '../deps.ts';
import { AppError, forbidden } from '../errors.ts';
import type { Actor } from './actor.ts';
import { actorFrom } from './service.ts';
import { identityStore } from './store.ts';

/**
 * The actor for a user named on the command line: the same fields authenticate() fills from a
 * token, for one-shot commands run by someone who already has the database in hand.
 */
export async function actorForUser(deps: Deps, username: string): Promise<Actor> {
  const store = identityStore(deps.db);
  const user = await store.findUserByUsername(username);
  if (!user) {
    throw new AppError(404, 'USER_NOT_FOUND', `No user named ${JSON.stringify(username)}: create one with \`suanli user create ${username}\` (or set SUANLI_ADMIN_PASSWORD for admin), or act as another user.`);
  }
  if (user.disabled) throw forbidden('USER_DISABLED', `The user ${JSON.stringify(username)} is disabled.`);
  const org = await store.findOrganization(user.orgId);
  if (!org) throw new AppError(500, 'INTERNAL', `The organisation of ${JSON.stringify(username)} is missing.`);
  return actorFrom(user, org, { id: 'cli', kind: 'api' });
}
