/** Who is asking. Resolved once per request from a session cookie or an API key. */
export type Principal =
  | { kind: 'anonymous' }
  | { kind: 'operator'; operatorId: string; email: string; sessionId: string }
  | {
      kind: 'staff';
      tenantId: string;
      userId: string;
      email: string;
      roles: string[];
      permissions: string[];
      sessionId: string;
    }
  | {
      kind: 'buyer';
      tenantId: string;
      customerId: string;
      userId: string;
      email: string;
      permissions: string[];
      sessionId: string;
      /** Set when merchant staff act as this buyer; every action is recorded with both. */
      impersonator?: { userId: string; email: string };
    }
  | {
      kind: 'apiKey';
      tenantId: string;
      keyId: string;
      owner: { kind: 'merchant' } | { kind: 'customer'; customerId: string };
      scopes: string[];
    };

export type AuthenticatedPrincipal = Exclude<Principal, { kind: 'anonymous' }>;

/** How audit entries name an actor. */
export function actorOf(principal: Principal): { kind: Principal['kind']; id: string; email?: string } {
  switch (principal.kind) {
    case 'anonymous':
      return { kind: 'anonymous', id: 'anonymous' };
    case 'operator':
      return { kind: 'operator', id: principal.operatorId, email: principal.email };
    case 'staff':
    case 'buyer':
      return { kind: principal.kind, id: principal.userId, email: principal.email };
    case 'apiKey':
      return { kind: 'apiKey', id: principal.keyId };
  }
}

/**
 * The buyer account a principal acts for: a buyer's own, a customer API key's; undefined for
 * staff, merchant keys, operators and visitors (who see every customer's, or none).
 */
export function customerOf(principal: Principal): string | undefined {
  if (principal.kind === 'buyer') return principal.customerId;
  if (principal.kind === 'apiKey' && principal.owner.kind === 'customer') return principal.owner.customerId;
  return undefined;
}
