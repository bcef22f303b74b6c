import { ForbiddenError, ValidationError } from '#shared/errors.ts';

/** Nobody hands out (or takes away) permissions they do not hold themselves. */
export function requireWithin(granted: readonly string[], own: readonly string[]): void {
  const beyond = [...new Set(granted.filter((permission) => !own.includes(permission)))];
  if (beyond.length > 0) {
    throw new ForbiddenError(
      'cannot_grant',
      `You cannot grant permissions you do not have: ${beyond.join(', ')}`,
    );
  }
}

/** The permissions of the named roles; an unknown role name is a 400 on `body.roles`. */
export function permissionsOfRoles(known: Map<string, string[]>, roles: readonly string[]): string[] {
  const unknown = roles.filter((role) => !known.has(role));
  if (unknown.length > 0) {
    throw new ValidationError('unknown_role', `This store has no role ${unknown.join(', ')}`, [
      { path: 'body.roles', message: `unknown: ${unknown.join(', ')}`, code: 'unknown_role' },
    ]);
  }
  return roles.flatMap((role) => known.get(role) ?? []);
}
