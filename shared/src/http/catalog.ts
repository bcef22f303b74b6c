import * as admin from '../identity/admin-api.ts';
import * as identity from '../identity/api.ts';
import { getHealth, getOpenApiDocument } from '../system/api.ts';
import { getStorefront, getStorefrontByDomain } from '../tenants/api.ts';
import * as operator from '../tenants/operator-api.ts';
import type { Operation } from './operation.ts';

/** Every operation of the HTTP API. The topology routes each to a function; a test checks both agree. */
export const operations: Operation[] = [
  getHealth,
  getOpenApiDocument,
  getStorefront,
  getStorefrontByDomain,
  identity.login,
  identity.logout,
  identity.getSession,
  identity.listSessions,
  identity.revokeSession,
  identity.requestPasswordReset,
  identity.resetPassword,
  identity.verifyEmail,
  identity.acceptInvitation,
  identity.registerCustomer,
  identity.createApiKey,
  identity.listApiKeys,
  identity.revokeApiKey,
  identity.inviteUser,
  identity.listAuditLog,
  admin.listCustomerApplications,
  admin.approveCustomer,
  admin.rejectCustomer,
  admin.impersonateCustomer,
  admin.listStaff,
  admin.updateStaffRoles,
  admin.listRoles,
  admin.putRole,
  admin.updateStoreSettings,
  admin.getAccount,
  admin.listCustomerUsers,
  admin.inviteCustomerUser,
  admin.updateCustomerUser,
  operator.operatorLogin,
  operator.operatorLogout,
  operator.createTenant,
  operator.listTenants,
  operator.updateTenant,
];
