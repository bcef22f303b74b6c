import type { BuyerPermission, StaffPermission } from '#shared/identity/permissions.ts';

// Keyed by the shared unions: a permission added in shared/ is a type error here until it has words.
const BUYER: Record<BuyerPermission, string> = {
  'orders:create': 'Place orders',
  'services:manage': 'Start, stop and resize services',
  'finance:view': 'See prices, invoices and credit balances',
  'users:manage': 'Manage the users of the account',
  'apikeys:manage': 'Manage API keys',
};

const STAFF: Record<StaffPermission, string> = {
  'store:manage': 'Store settings',
  'staff:manage': 'Invite staff and change their roles',
  'roles:manage': 'Define roles',
  'catalog:manage': 'Edit the catalog',
  'catalog:read': 'See the catalog',
  'customers:manage': 'Approve and edit customers',
  'customers:read': 'See customers',
  'customers:impersonate': 'Act on behalf of customers',
  'orders:manage': 'Manage orders',
  'orders:read': 'See orders',
  'finance:manage': 'Manage finances',
  'finance:read': 'See finances',
  'apikeys:manage': 'Manage API keys',
  'audit:read': 'Read the audit log',
};

/** A sentence for a permission; an unknown one is shown as it is. */
export function permissionLabel(principal: 'staff' | 'buyer' | 'operator', permission: string): string {
  const labels: Record<string, string> = principal === 'staff' ? STAFF : BUYER;
  return labels[permission] ?? permission;
}

/** "owner" → "Owner", "finance" → "Finance"; custom role names keep their spelling after the first letter. */
export function roleLabel(role: string): string {
  return role ? role[0]?.toUpperCase() + role.slice(1).replace(/[_-]+/g, ' ') : role;
}
