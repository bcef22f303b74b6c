/**
 * What the merchant console shows a member of staff: the sections their permissions open, what
 * they may do in each, and the words for the store's sign-up modes. Plain data and functions; the
 * pages under `routes/stores/[store]/admin/` render them.
 */
import { CUSTOMER_ID, type Customer, type SignupMode, type StaffMember } from './api/admin.ts';
import type { SessionView } from './api/identity.ts';
import { roleLabel } from './permissions.ts';
import type { PillTone } from './status.ts';

export type ConsoleUser = Pick<SessionView, 'principal' | 'permissions'>;
export type SectionId =
  | 'team'
  | 'customers'
  | 'catalog'
  | 'provisioning'
  | 'billing'
  | 'payments'
  | 'creditPacks'
  | 'incidents'
  | 'audit';

export type ConsoleSection = {
  id: SectionId;
  title: string;
  description: string;
  /** Any one of these opens the section. */
  anyOf: readonly string[];
  /** What a permission lets the person do there, in the order shown on the console home. */
  abilities: readonly { permission: string; text: string }[];
};

export const CONSOLE_SECTIONS: readonly ConsoleSection[] = [
  {
    id: 'team',
    title: 'Team',
    description: 'The staff of the store, their roles, and what each role may do.',
    anyOf: ['staff:manage', 'roles:manage'],
    abilities: [
      { permission: 'staff:manage', text: 'Invite staff and change their roles' },
      { permission: 'roles:manage', text: 'Create roles and change their permissions' },
    ],
  },
  {
    id: 'customers',
    title: 'Customers',
    description: 'Applications waiting for a decision, who can sign up, and acting as a customer.',
    anyOf: ['customers:read', 'customers:manage', 'customers:impersonate', 'store:manage'],
    abilities: [
      { permission: 'customers:read', text: 'See applications' },
      { permission: 'customers:manage', text: 'Approve or reject applications' },
      { permission: 'store:manage', text: 'Choose who can sign up' },
      { permission: 'customers:impersonate', text: 'Act as a customer' },
    ],
  },
  {
    id: 'catalog',
    title: 'Catalog',
    description:
      'Products and their prices, categories, search settings, basket rules, and what buyers searched for and did not find.',
    anyOf: ['catalog:read', 'catalog:manage'],
    abilities: [
      { permission: 'catalog:read', text: 'See products, categories, settings, rules and searches' },
      {
        permission: 'catalog:manage',
        text: 'Create, change, publish and retire products; edit categories, settings and rules',
      },
    ],
  },
  {
    id: 'provisioning',
    title: 'Provisioning',
    description:
      'Where services are set up: the platforms’ webhook endpoints and signing secrets, and every webhook sent to them.',
    anyOf: ['catalog:read', 'catalog:manage'],
    abilities: [
      { permission: 'catalog:read', text: 'See connectors and the delivery log' },
      {
        permission: 'catalog:manage',
        text: 'Create and change connectors, rotate secrets, replay failed deliveries',
      },
    ],
  },
  {
    id: 'billing',
    title: 'Billing',
    description:
      'What a credit costs, how much runway an order needs, grace and retention; the test clock of a sandbox store.',
    anyOf: ['finance:read', 'finance:manage', 'store:manage'],
    abilities: [
      { permission: 'finance:read', text: 'See the billing settings and customers’ credits' },
      { permission: 'finance:manage', text: 'Change the billing settings; grant credits' },
      { permission: 'store:manage', text: 'Move a sandbox store’s clock forward' },
    ],
  },
  {
    id: 'payments',
    title: 'Payments',
    description:
      'Card payment through your own Stripe account: connect it, see its mode and the webhook to set up.',
    anyOf: ['finance:read', 'finance:manage'],
    abilities: [
      { permission: 'finance:read', text: 'See whether Stripe is connected' },
      { permission: 'finance:manage', text: 'Connect or disconnect Stripe' },
    ],
  },
  {
    id: 'creditPacks',
    title: 'Credit packs',
    description: 'The packs buyers buy credits in: credits, bonus credits, net prices, cashback.',
    anyOf: ['finance:read', 'finance:manage'],
    abilities: [
      { permission: 'finance:read', text: 'See every pack, on sale or not' },
      { permission: 'finance:manage', text: 'Create and change packs' },
    ],
  },
  {
    id: 'incidents',
    title: 'Incidents',
    description: 'Outages and the SLA credits they give the services they touched.',
    anyOf: ['finance:read', 'finance:manage'],
    abilities: [
      { permission: 'finance:read', text: 'See incidents and the credits they gave' },
      { permission: 'finance:manage', text: 'Record an incident' },
    ],
  },
  {
    id: 'audit',
    title: 'Audit log',
    description: 'Sign-ins, invitations, role changes, decisions and other security-relevant actions.',
    anyOf: ['audit:read'],
    abilities: [{ permission: 'audit:read', text: 'Read who did what, and when' }],
  },
];

export function isStaff(user: ConsoleUser | undefined): boolean {
  return user?.principal === 'staff';
}

/** Whether the user holds `permission` (staff only: the console is not for buyers). */
export function can(user: ConsoleUser | undefined, permission: string): boolean {
  return isStaff(user) && (user?.permissions.includes(permission) ?? false);
}

export function canAny(user: ConsoleUser | undefined, permissions: readonly string[]): boolean {
  return permissions.some((permission) => can(user, permission));
}

export function section(id: SectionId): ConsoleSection {
  const found = CONSOLE_SECTIONS.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no console section ${id}`);
  return found;
}

/** The sections this user may open, each with only the abilities they have. */
export function consoleSections(user: ConsoleUser | undefined): ConsoleSection[] {
  return CONSOLE_SECTIONS.filter((candidate) => canAny(user, candidate.anyOf)).map((candidate) => ({
    ...candidate,
    abilities: candidate.abilities.filter((ability) => can(user, ability.permission)),
  }));
}

/**
 * How buyers get an account, in plain words: the label everywhere, a one-line summary (the
 * operator's tenant form), the full description for the merchant who chooses.
 */
export const SIGNUP_MODE_WORDS: Record<SignupMode, { label: string; summary: string; description: string }> =
  {
    open: {
      label: 'Open',
      summary: 'Anyone can create an account.',
      description:
        'Anyone can create an account on the sign-up page. They confirm their email address, then sign in and buy straight away.',
    },
    application: {
      label: 'By application',
      summary: 'New accounts wait for the merchant’s approval.',
      description:
        'People and companies apply on the sign-up page. You approve or reject each application on this page; nobody can sign in before you approve. Staff who approve customers get an email for each new application.',
    },
    invite_only: {
      label: 'Invitation only',
      summary: 'Customers join by invitation only.',
      description:
        'Nobody can sign up on their own: the sign-up page says the store takes new customers by invitation only. Existing customers keep signing in as before.',
    },
  };

export { SIGNUP_MODES } from '#shared/tenants/tenant.ts';

/**
 * The roles a member of staff may hand out: those whose permissions they hold themselves (the API
 * refuses the others with 403 cannot_grant). The rest are returned apart, to say why they are missing.
 */
export function grantableRoles<R extends { name: string; permissions: readonly string[] }>(
  roles: readonly R[],
  own: readonly string[],
): { grantable: R[]; beyond: R[] } {
  const grantable: R[] = [];
  const beyond: R[] = [];
  for (const role of roles) {
    (role.permissions.every((permission) => own.includes(permission)) ? grantable : beyond).push(role);
  }
  return { grantable, beyond };
}

/** Owner first, then admin, then the others by name: the most powerful roles lead the list. */
export function sortRoles<R extends { name: string }>(roles: readonly R[]): R[] {
  const rank = (name: string) => (name === 'owner' ? 0 : name === 'admin' ? 1 : 2);
  return [...roles].sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name));
}

/** "in 59 minutes", "in 2 hours" — how long until `iso`; "expired" once it has passed. */
export function formatExpiry(iso: string, now: Date = new Date(), locale?: string): string {
  const seconds = Math.round((Date.parse(iso) - now.getTime()) / 1000);
  if (seconds <= 0) return 'expired';
  const rtf = new Intl.RelativeTimeFormat(locale ?? 'en', { numeric: 'always' });
  const minutes = Math.max(1, Math.round(seconds / 60));
  if (minutes < 60) return rtf.format(minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (hours < 24) return rtf.format(hours, 'hour');
  return rtf.format(Math.round(hours / 24), 'day');
}

/** The shell command that shows what a bearer token can read: the customer's account. */
export function curlExample(origin: string, store: string, token: string): string {
  return `curl -H "Authorization: Bearer ${token}" ${origin}/api/v1/stores/${encodeURIComponent(store)}/account`;
}

/** Active first, then invited, then disabled; by email within each. */
export function sortStaff(staff: readonly StaffMember[]): StaffMember[] {
  const rank = { active: 0, invited: 1, disabled: 2 } as const;
  return [...staff].sort((a, b) => rank[a.status] - rank[b.status] || a.email.localeCompare(b.email));
}

/** A staff member's status as a word and a symbol, so it never relies on colour alone. */
export const STAFF_STATUS: Record<StaffMember['status'], { word: string; symbol: string; tone: PillTone }> = {
  active: { word: 'Active', symbol: '✓', tone: 'ok' },
  invited: { word: 'Invited', symbol: '✉', tone: 'warning' },
  disabled: { word: 'Disabled', symbol: '✕', tone: 'danger' },
};

/** "Catalog role", "Catalog and Finance roles", "Catalog, Finance and Support roles". */
export function rolesPhrase(roles: readonly string[]): string {
  const labels = roles.map(roleLabel);
  if (labels.length <= 1) return `${labels[0] ?? 'no'} role`;
  return `${labels.slice(0, -1).join(', ')} and ${labels.at(-1)} roles`;
}

/** Oldest first: whoever applied first gets an answer first. */
export function sortApplications(applications: readonly Customer[]): Customer[] {
  return [...applications].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}

/** The customer id typed into "Act as a customer" (the API's format: `cus_` + 26 characters). */
export function checkCustomerId(value: string): string | undefined {
  const id = value.trim();
  if (id === '') return 'Enter the customer’s id.';
  if (!CUSTOMER_ID.test(id)) return 'Customer ids look like cus_ followed by 26 letters and digits.';
  return undefined;
}
