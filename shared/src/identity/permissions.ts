/**
 * Permissions are plain strings; roles are named sets of them, stored per tenant as data, so a new
 * role needs no code. These lists are what the platform knows how to check.
 */

/** What merchant staff may be allowed to do in their tenant's console. */
export const STAFF_PERMISSIONS = [
  'store:manage', // signup mode, store settings
  'staff:manage', // invite staff, change roles
  'roles:manage',
  'catalog:manage',
  'catalog:read',
  'customers:manage', // approve / reject applications, edit customers
  'customers:read',
  'customers:impersonate', // act as a customer
  'orders:manage',
  'orders:read',
  'finance:manage',
  'finance:read',
  'apikeys:manage',
  'audit:read',
] as const;
export type StaffPermission = (typeof STAFF_PERMISSIONS)[number];

/** What a user of a buyer account (person or company) may do. */
export const BUYER_PERMISSIONS = [
  'orders:create',
  'services:manage',
  /** Prices of invoices, balances and ledgers: without it, a member never sees them. */
  'finance:view',
  'users:manage',
  'apikeys:manage',
] as const;
export type BuyerPermission = (typeof BUYER_PERMISSIONS)[number];

/** Scopes a merchant's API key may carry (integrations, provisioning platforms). */
export const MERCHANT_KEY_SCOPES = [
  'provisioning',
  'usage:write',
  'catalog:read',
  'orders:read',
  'customers:read',
] as const;
/** Scopes a buyer's API key may carry (ordering through the API). */
export const CUSTOMER_KEY_SCOPES = ['orders:create', 'services:manage', 'finance:view'] as const;
export type ApiKeyScope = (typeof MERCHANT_KEY_SCOPES)[number] | (typeof CUSTOMER_KEY_SCOPES)[number];

/** Roles every new tenant starts with; owners and admins may change them or add their own. */
export const DEFAULT_STAFF_ROLES: Record<string, readonly StaffPermission[]> = {
  owner: STAFF_PERMISSIONS,
  admin: STAFF_PERMISSIONS.filter((permission) => permission !== 'store:manage'),
  catalog: ['catalog:manage', 'catalog:read'],
  finance: ['finance:manage', 'finance:read', 'orders:read', 'customers:read'],
  support: ['customers:read', 'customers:impersonate', 'orders:read', 'catalog:read'],
};

/** The first user of a buyer account can do everything; members get what the owner grants. */
export const BUYER_OWNER_PERMISSIONS: readonly BuyerPermission[] = BUYER_PERMISSIONS;
export const BUYER_MEMBER_DEFAULT_PERMISSIONS: readonly BuyerPermission[] = [
  'orders:create',
  'services:manage',
];
