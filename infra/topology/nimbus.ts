import * as basket from '#shared/basket/api.ts';
import * as catalog from '#shared/catalog/api.ts';
import * as admin from '#shared/identity/admin-api.ts';
import * as identity from '#shared/identity/api.ts';
import { getHealth, getOpenApiDocument } from '#shared/system/api.ts';
import { getStorefront, getStorefrontByDomain } from '#shared/tenants/api.ts';
import * as operator from '#shared/tenants/operator-api.ts';
import type { Topology } from './types.ts';

/**
 * Nimbus as data. Add a function, route, queue, rule or schedule here and both the CDK app and
 * the local runtime pick it up; tests check that every entry is wired on both sides.
 */
export const nimbus: Topology = {
  app: 'nimbus',
  table: {
    name: 'main',
    partitionKey: 'pk',
    sortKey: 'sk',
    ttlAttribute: 'expiresAt',
    indexes: [],
  },
  bus: { name: 'nimbus' },
  functions: [
    {
      name: 'getHealth',
      context: 'system',
      entry: 'functions/src/system/handlers/get-health.ts',
      access: { table: 'read', inspect: ['heartbeats'], describeBus: true },
    },
    {
      name: 'getOpenApiDocument',
      context: 'system',
      entry: 'functions/src/system/handlers/get-openapi-document.ts',
      access: {},
    },
    {
      name: 'emitHeartbeat',
      context: 'system',
      entry: 'functions/src/system/handlers/emit-heartbeat.ts',
      access: { publish: true },
    },
    {
      name: 'recordHeartbeat',
      context: 'system',
      entry: 'functions/src/system/handlers/record-heartbeat.ts',
      access: { table: 'readWrite' },
    },
    {
      name: 'getStorefront',
      context: 'tenants',
      entry: 'functions/src/tenants/handlers/get-storefront.ts',
      access: { table: 'read' },
    },
    {
      name: 'identityAuth',
      context: 'identity',
      entry: 'functions/src/identity/handlers/auth.ts',
      // scrypt password hashing wants CPU, and Lambda gives CPU in proportion to memory.
      memoryMb: 1024,
      access: { table: 'readWrite', sendEmail: true },
    },
    {
      name: 'identityCustomers',
      context: 'identity',
      entry: 'functions/src/identity/handlers/customers.ts',
      // scrypt password hashing wants CPU, and Lambda gives CPU in proportion to memory.
      memoryMb: 1024,
      access: { table: 'readWrite', sendEmail: true },
    },
    {
      name: 'identityApiKeys',
      context: 'identity',
      entry: 'functions/src/identity/handlers/api-keys.ts',
      access: { table: 'readWrite' },
    },
    {
      name: 'identityAdmin',
      context: 'identity',
      entry: 'functions/src/identity/handlers/admin.ts',
      access: { table: 'readWrite', sendEmail: true },
    },
    {
      name: 'identityAccount',
      context: 'identity',
      entry: 'functions/src/identity/handlers/account.ts',
      access: { table: 'readWrite', sendEmail: true },
    },
    {
      name: 'operatorConsole',
      context: 'tenants',
      entry: 'functions/src/tenants/handlers/operator.ts',
      // scrypt password hashing wants CPU, and Lambda gives CPU in proportion to memory.
      memoryMb: 1024,
      access: { table: 'readWrite', sendEmail: true },
    },
    {
      name: 'catalogStorefront',
      context: 'catalog',
      entry: 'functions/src/catalog/handlers/storefront.ts',
      // The in-memory catalog and its search index live in the instance; more memory, more CPU.
      memoryMb: 1024,
      // Writes only the zero-result search counters.
      access: { table: 'readWrite' },
    },
    {
      name: 'catalogAdmin',
      context: 'catalog',
      entry: 'functions/src/catalog/handlers/admin.ts',
      access: { table: 'readWrite' },
    },
    {
      name: 'basket',
      context: 'basket',
      entry: 'functions/src/basket/handlers/basket.ts',
      memoryMb: 1024,
      access: { table: 'readWrite' },
    },
  ],
  routes: [
    { operation: getHealth, function: 'getHealth' },
    { operation: getOpenApiDocument, function: 'getOpenApiDocument' },
    { operation: getStorefront, function: 'getStorefront' },
    { operation: getStorefrontByDomain, function: 'getStorefront' },
    ...[
      identity.login,
      identity.logout,
      identity.getSession,
      identity.listSessions,
      identity.revokeSession,
      identity.requestPasswordReset,
      identity.resetPassword,
      identity.verifyEmail,
      identity.acceptInvitation,
    ].map((operation) => ({ operation, function: 'identityAuth' })),
    { operation: identity.registerCustomer, function: 'identityCustomers' },
    ...[identity.createApiKey, identity.listApiKeys, identity.revokeApiKey].map((operation) => ({
      operation,
      function: 'identityApiKeys',
    })),
    ...[
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
      admin.getStoreSettings,
      admin.updateStoreSettings,
    ].map((operation) => ({ operation, function: 'identityAdmin' })),
    ...[admin.getAccount, admin.listCustomerUsers, admin.inviteCustomerUser, admin.updateCustomerUser].map(
      (operation) => ({ operation, function: 'identityAccount' }),
    ),
    ...[catalog.listCategories, catalog.searchCatalog, catalog.getProduct, catalog.quoteConfiguration].map(
      (operation) => ({ operation, function: 'catalogStorefront' }),
    ),
    ...[
      catalog.createProduct,
      catalog.updateProduct,
      catalog.publishProduct,
      catalog.retireProduct,
      catalog.listProducts,
      catalog.upsertCategory,
      catalog.getCatalogSettings,
      catalog.updateCatalogSettings,
      catalog.listZeroResultSearches,
      basket.listBasketRules,
      basket.upsertBasketRule,
      basket.testBasketRule,
    ].map((operation) => ({ operation, function: 'catalogAdmin' })),
    ...[
      basket.getBasket,
      basket.addBasketItem,
      basket.updateBasketItem,
      basket.removeBasketItem,
      basket.validateBasket,
    ].map((operation) => ({ operation, function: 'basket' })),
    ...[
      operator.operatorLogin,
      operator.operatorLogout,
      operator.createTenant,
      operator.listTenants,
      operator.updateTenant,
    ].map((operation) => ({ operation, function: 'operatorConsole' })),
  ],
  queues: [
    {
      name: 'heartbeats',
      visibilityTimeoutSeconds: 30,
      maxReceiveCount: 5,
      consumer: { function: 'recordHeartbeat', batchSize: 10 },
    },
  ],
  rules: [
    {
      name: 'heartbeatToQueue',
      description:
        'Platform heartbeats go through a queue, so the health check proves bus → rule → queue → consumer',
      pattern: { source: ['nimbus.system'], 'detail-type': ['system.heartbeat'] },
      targets: [{ kind: 'queue', queue: 'heartbeats' }],
    },
  ],
  schedules: [
    {
      name: 'heartbeat',
      description: 'Publishes a platform heartbeat every minute',
      expression: 'rate(1 minute)',
      function: 'emitHeartbeat',
    },
  ],
};
