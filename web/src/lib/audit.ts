/**
 * Audit log entries in words for people: "Signed in", "Invited a member of staff", who did it (and
 * on whose behalf), what it was about, and the details that matter (roles before → after, reasons,
 * the scopes of a key). Unknown actions and details still read sensibly, so a new action on the API
 * shows up before it has words here.
 */
import type { AuditEntry } from './api/admin.ts';
import { scopeLabel } from './api/api-keys.ts';
import { SIGNUP_MODE_WORDS } from './console.ts';
import { permissionLabel, roleLabel } from './permissions.ts';

/** Readable names for ids the log mentions (staff user ids → emails, customer ids → names). */
export type AuditNames = ReadonlyMap<string, string>;

export type AuditLine = {
  id: string;
  at: string;
  /** "Signed in", "Created an API key"… */
  what: string;
  /** Who did it: an email, or a description when there is none ("Not signed in"). */
  who: string;
  /** What kind of party did it: "Staff", "Customer", "Platform operator"… (empty when `who` says it). */
  whoKind: string;
  /** When staff acted as a customer: that customer's user. */
  onBehalfOf?: string;
  /** What the action was about, when the log says ("anna@example.com", "role “Catalog”"). */
  about?: string;
  details: string[];
  ip?: string;
};

const ACTIONS: Record<string, string> = {
  'login.succeeded': 'Signed in',
  'login.failed': 'Failed to sign in (wrong email or password)',
  'login.throttled': 'Sign-in blocked after too many attempts',
  logout: 'Signed out',
  'session.revoked': 'Ended a session',
  'password.reset_requested': 'Asked for a password reset link',
  'password.reset': 'Set a new password with a reset link',
  'email.verified': 'Confirmed their email address',
  'customer.registered': 'Signed up as a customer',
  'customer.approved': 'Approved a customer application',
  'customer.rejected': 'Rejected a customer application',
  'apikey.created': 'Created an API key',
  'apikey.revoked': 'Revoked an API key',
  'staff.invited': 'Invited a member of staff',
  'staff.joined': 'Accepted an invitation',
  'staff.roles_changed': 'Changed the roles of a member of staff',
  'role.changed': 'Changed a role',
  'user.invited': 'Invited a colleague into a customer account',
  'user.permissions_changed': 'Changed the permissions of a customer’s user',
  'impersonation.started': 'Started acting as a customer',
  'tenant.created': 'Created the store',
  'tenant.updated': 'Changed the store’s settings',
};

const PARTY_KINDS: Record<string, string> = {
  staff: 'Staff',
  buyer: 'Customer',
  operator: 'Platform operator',
  apiKey: 'API key',
  anonymous: '',
};

/** `user.permissions_changed` → "User permissions changed": better than nothing for a new action. */
export function humanize(code: string): string {
  const words = code.replace(/[._-]+/g, ' ').trim();
  return words ? words[0]?.toUpperCase() + words.slice(1) : code;
}

/** The action in words; a few read better with what the details say. */
export function actionLabel(action: string, details: Record<string, unknown> = {}): string {
  if (action === 'customer.registered' && details.status === 'pending_approval')
    return 'Applied for a customer account';
  if (
    action === 'tenant.updated' &&
    typeof details.signupMode === 'string' &&
    Object.keys(details).length === 1
  )
    return 'Changed who can sign up';
  return ACTIONS[action] ?? humanize(action);
}

export function partyKind(kind: string): string {
  return PARTY_KINDS[kind] ?? humanize(kind);
}

function partyName(party: AuditEntry['actor'], names: AuditNames): string {
  if (party.kind === 'anonymous') return 'Someone not signed in';
  if (party.email) return party.email;
  const known = names.get(party.id);
  if (known) return known;
  return party.kind === 'apiKey' ? `API key ${party.id}` : party.id;
}

const strings = (value: unknown): string[] | undefined =>
  Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : undefined;

const list = (items: readonly string[], label: (item: string) => string) =>
  items.length === 0 ? 'none' : items.map(label).join(', ');

const staffPermission = (permission: string) => permissionLabel('staff', permission);
const buyerPermission = (permission: string) => permissionLabel('buyer', permission);

/** "Added: A, B" and "Removed: C" between two sets of permissions; "No change" when equal. */
export function permissionChanges(
  from: readonly string[],
  to: readonly string[],
  label: (permission: string) => string,
): string[] {
  const added = to.filter((permission) => !from.includes(permission));
  const removed = from.filter((permission) => !to.includes(permission));
  const lines: string[] = [];
  if (added.length) lines.push(`Added: ${list(added, label)}`);
  if (removed.length) lines.push(`Removed: ${list(removed, label)}`);
  return lines.length ? lines : ['No change'];
}

/** What the entry was about: a person, a customer, a role, a key, or nothing worth saying. */
export function describeTarget(entry: AuditEntry, names: AuditNames = new Map()): string | undefined {
  const { action, target, details = {} } = entry;
  if (!target) return undefined;
  const known = names.get(target);
  if (known) return known;
  if (target.startsWith('role:')) return `role “${roleLabel(target.slice('role:'.length))}”`;
  if (action.startsWith('apikey.') && typeof details.name === 'string') return `key “${details.name}”`;
  if (action.startsWith('tenant.')) return undefined; // always this store
  if (action === 'session.revoked') return undefined; // a session digest says nothing to people
  if ((action === 'staff.invited' || action === 'user.invited') && typeof details.email === 'string')
    return details.email;
  if (target.startsWith('cus_')) return `customer ${target}`;
  return target;
}

/** The details worth a line each, in words. */
export function describeDetails(entry: AuditEntry): string[] {
  const { action, details } = entry;
  if (!details) return [];
  const from = strings(details.from);
  const to = strings(details.to);
  const reason =
    typeof details.reason === 'string' && details.reason.trim() ? details.reason.trim() : undefined;
  const lines: string[] = [];
  switch (action) {
    case 'staff.roles_changed':
      if (from && to) lines.push(`Roles: ${list(from, roleLabel)} → ${list(to, roleLabel)}`);
      break;
    case 'role.changed':
      if (from && to) lines.push(...permissionChanges(from, to, staffPermission));
      break;
    case 'user.permissions_changed':
      if (from && to) lines.push(...permissionChanges(from, to, buyerPermission));
      break;
    case 'staff.invited': {
      const roles = strings(details.roles);
      if (roles) lines.push(`${roles.length === 1 ? 'Role' : 'Roles'}: ${list(roles, roleLabel)}`);
      break;
    }
    case 'user.invited': {
      const permissions = strings(details.permissions);
      if (permissions) lines.push(`Permissions: ${list(permissions, buyerPermission)}`);
      break;
    }
    case 'customer.registered':
      if (details.type === 'company' || details.type === 'person')
        lines.push(details.type === 'company' ? 'A company account' : 'A personal account');
      break;
    case 'apikey.created': {
      const scopes = strings(details.scopes);
      if (scopes) lines.push(`Permissions: ${list(scopes, scopeLabel)}`);
      break;
    }
    case 'tenant.updated':
    case 'tenant.created':
      if (typeof details.signupMode === 'string') {
        const words = SIGNUP_MODE_WORDS[details.signupMode as keyof typeof SIGNUP_MODE_WORDS];
        lines.push(`Sign-up: ${words?.label ?? details.signupMode}`);
      }
      for (const [key, value] of Object.entries(details)) {
        if (key !== 'signupMode' && isPlain(value)) lines.push(`${humanize(key)}: ${String(value)}`);
      }
      break;
    case 'customer.approved':
    case 'customer.rejected':
    case 'impersonation.started':
      break; // the reason, below
    default:
      for (const [key, value] of Object.entries(details)) {
        if (key !== 'reason' && isPlain(value)) lines.push(`${humanize(key)}: ${String(value)}`);
      }
  }
  if (reason) lines.push(`Reason: ${reason}`);
  return lines;
}

function isPlain(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** One entry as the audit page shows it. */
export function describeEntry(entry: AuditEntry, names: AuditNames = new Map()): AuditLine {
  const about = describeTarget(entry, names);
  return {
    id: entry.id,
    at: entry.at,
    what: actionLabel(entry.action, entry.details),
    who: partyName(entry.actor, names),
    whoKind: partyKind(entry.actor.kind),
    ...(entry.onBehalfOf ? { onBehalfOf: partyName(entry.onBehalfOf, names) } : {}),
    ...(about ? { about } : {}),
    details: describeDetails(entry),
    ...(entry.ip ? { ip: entry.ip } : {}),
  };
}
