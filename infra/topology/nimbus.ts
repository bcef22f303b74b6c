import * as basket from '#shared/basket/api.ts';
import * as billing from '#shared/billing/api.ts';
import { HOURLY_SWEEP_EXPRESSION } from '#shared/billing/schedules.ts';
import * as catalog from '#shared/catalog/api.ts';
import * as credits from '#shared/credits/api.ts';
import * as admin from '#shared/identity/admin-api.ts';
import * as identity from '#shared/identity/api.ts';
import * as incidents from '#shared/incidents/api.ts';
import * as invoices from '#shared/invoices/api.ts';
import * as orders from '#shared/orders/api.ts';
import * as payments from '#shared/payments/api.ts';
import * as provisioning from '#shared/provisioning/api.ts';
import * as subscriptions from '#shared/subscriptions/api.ts';
import { getHealth, getOpenApiDocument } from '#shared/system/api.ts';
import { getStorefront, getStorefrontByDomain } from '#shared/tenants/api.ts';
import * as operator from '#shared/tenants/operator-api.ts';
import * as triggers from '#shared/triggers/api.ts';
import * as usage from '#shared/usage/api.ts';
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
    indexes: [
      // Items with work due at a time (billing, grace, termination), sharded per tenant.
      { name: 'dueWork', partitionKey: 'duePk', sortKey: 'dueAt' },
      // A customer's orders, services and wallets, newest first.
      { name: 'customerItems', partitionKey: 'customerPk', sortKey: 'sk' },
    ],
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
    {
      name: 'orders',
      context: 'orders',
      entry: 'functions/src/orders/handlers/orders.ts',
      // Checkout re-checks the basket against the in-memory catalog, as the basket function does.
      memoryMb: 1024,
      // paymentKeys: a card checkout opens a Checkout Session with the store's Stripe key.
      access: { table: 'readWrite', publish: true, paymentKeys: true },
    },
    {
      name: 'payments',
      context: 'payments',
      entry: 'functions/src/payments/handlers/payments.ts',
      // Fulfilment of paid orders and credit purchases invoices them: the catalog (seller) in memory.
      memoryMb: 1024,
      access: { table: 'readWrite', publish: true, paymentKeys: true },
    },
    {
      name: 'autoTopUp',
      context: 'payments',
      entry: 'functions/src/payments/handlers/auto-top-up.ts',
      // Buying a pack prices and invoices it: the catalog (seller) in memory.
      memoryMb: 1024,
      access: { table: 'readWrite', publish: true, paymentKeys: true },
    },
    {
      name: 'chargeInvoices',
      context: 'payments',
      entry: 'functions/src/payments/handlers/invoice-charges.ts',
      access: { table: 'readWrite', publish: true, paymentKeys: true },
    },
    {
      name: 'subscriptions',
      context: 'subscriptions',
      entry: 'functions/src/subscriptions/handlers/subscriptions.ts',
      // paymentKeys: a service's access password is opened for its buyer.
      access: { table: 'readWrite', publish: true, paymentKeys: true },
    },
    {
      name: 'wallets',
      context: 'credits',
      entry: 'functions/src/credits/handlers/wallets.ts',
      access: { table: 'readWrite', publish: true },
    },
    {
      name: 'creditPacks',
      context: 'credits',
      entry: 'functions/src/credits/handlers/credit-packs.ts',
      access: { table: 'readWrite' },
    },
    {
      name: 'connectors',
      context: 'provisioning',
      entry: 'functions/src/provisioning/handlers/connectors.ts',
      // paymentKeys: connectors' signing secrets are sealed with the payments context's data keys.
      access: { table: 'readWrite', paymentKeys: true },
    },
    {
      name: 'usage',
      context: 'usage',
      entry: 'functions/src/usage/handlers/usage.ts',
      // Checks a batch whole and queues it for recordUsage (readWrite: API keys record their use).
      access: { table: 'readWrite', sendTo: ['usage-records'] },
    },
    {
      name: 'recordUsage',
      context: 'usage',
      entry: 'functions/src/usage/handlers/background.ts',
      handler: 'recordUsage',
      // publish: one usage.recorded event per store a delivery touches (capacity triggers).
      timeoutSeconds: 60,
      access: { table: 'readWrite', publish: true },
    },
    {
      name: 'provisioning',
      context: 'provisioning',
      entry: 'functions/src/provisioning/handlers/deliveries.ts',
      // Callbacks verify connector signatures and seal access passwords; replays queue attempts.
      access: { table: 'readWrite', publish: true, paymentKeys: true, sendTo: ['webhook-deliveries'] },
    },
    {
      name: 'deliverWebhooks',
      context: 'provisioning',
      entry: 'functions/src/provisioning/handlers/deliver-webhooks.ts',
      // A platform has 10 s to answer; a batch of 5 attempts runs one after the other.
      timeoutSeconds: 90,
      access: {
        table: 'readWrite',
        publish: true,
        paymentKeys: true,
        sendTo: ['webhook-deliveries', 'webhook-deliveries-dlq'],
      },
    },
    {
      name: 'refundFailedServices',
      context: 'payments',
      entry: 'functions/src/payments/handlers/failed-services.ts',
      access: { table: 'readWrite', publish: true, paymentKeys: true },
    },
    {
      name: 'triggers',
      context: 'triggers',
      entry: 'functions/src/triggers/handlers/triggers.ts',
      access: { table: 'readWrite' },
    },
    {
      name: 'evaluateTriggers',
      context: 'triggers',
      entry: 'functions/src/triggers/handlers/background.ts',
      handler: 'evaluateTriggers',
      // A firing re-prices the service with the catalog in memory, as a buyer's resize does.
      memoryMb: 1024,
      timeoutSeconds: 60,
      access: { table: 'readWrite', publish: true },
    },
    {
      name: 'scheduleTriggerEvaluations',
      context: 'triggers',
      entry: 'functions/src/triggers/handlers/background.ts',
      handler: 'scheduleTriggerEvaluations',
      timeoutSeconds: 60,
      access: { table: 'read', sendTo: ['trigger-evaluations'] },
    },
    {
      name: 'incidents',
      context: 'incidents',
      entry: 'functions/src/incidents/handlers/incidents.ts',
      access: { table: 'readWrite', sendTo: ['incident-credits'] },
    },
    {
      name: 'creditIncident',
      context: 'incidents',
      entry: 'functions/src/incidents/handlers/background.ts',
      handler: 'creditIncident',
      // Pages of 100 services; it sends itself a new message a minute before this runs out.
      timeoutSeconds: 300,
      access: { table: 'readWrite', publish: true, sendTo: ['incident-credits'] },
    },
    {
      name: 'invoices',
      context: 'invoices',
      entry: 'functions/src/invoices/handlers/invoices.ts',
      // Invoices are issued by checkout, credit purchases and the sweep; writes here are sessions'.
      access: { table: 'readWrite' },
    },
    {
      name: 'customerNotices',
      context: 'notifications',
      entry: 'functions/src/notifications/handlers/customer-notices.ts',
      access: { table: 'readWrite', sendEmail: true },
    },
    {
      name: 'billingAdmin',
      context: 'billing',
      entry: 'functions/src/billing/handlers/admin.ts',
      access: { table: 'readWrite', sendTo: ['test-clocks'] },
    },
    {
      name: 'hourlySweep',
      context: 'billing',
      entry: 'functions/src/billing/handlers/background.ts',
      handler: 'hourlySweep',
      access: { table: 'read', sendTo: ['billing-stores'] },
    },
    {
      name: 'sweepStore',
      context: 'billing',
      entry: 'functions/src/billing/handlers/background.ts',
      handler: 'sweepStore',
      timeoutSeconds: 60,
      access: { table: 'read', sendTo: ['billing-items'] },
    },
    {
      name: 'billItem',
      context: 'billing',
      entry: 'functions/src/billing/handlers/background.ts',
      handler: 'billItem',
      timeoutSeconds: 60,
      access: { table: 'readWrite', publish: true },
    },
    {
      name: 'walkTestClocks',
      context: 'billing',
      entry: 'functions/src/billing/handlers/background.ts',
      handler: 'walkTestClocks',
      // A walk through a month is ~720 sweeps; it sends itself a new message before this runs out.
      timeoutSeconds: 900,
      access: { table: 'readWrite', publish: true, sendTo: ['test-clocks'] },
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
    { operation: orders.checkout, function: 'orders' },
    { operation: orders.getOrder, function: 'orders' },
    { operation: orders.listOrders, function: 'orders' },
    ...[
      payments.getPaymentSettings,
      payments.updatePaymentSettings,
      payments.getCustomerBillingProfile,
      payments.updateCustomerBillingProfile,
      payments.getPaymentOptions,
      payments.stripeWebhook,
      payments.buyCreditPack,
      payments.getCreditPurchase,
      payments.setAutoTopUp,
    ].map((operation) => ({ operation, function: 'payments' })),
    ...[
      subscriptions.listSubscriptions,
      subscriptions.getSubscription,
      subscriptions.startSubscription,
      subscriptions.stopSubscription,
      subscriptions.suspendSubscription,
      subscriptions.resumeSubscription,
      subscriptions.previewResize,
      subscriptions.resizeSubscription,
      subscriptions.cancelSubscription,
    ].map((operation) => ({ operation, function: 'subscriptions' })),
    ...[credits.getWallet, credits.listWalletEntries, credits.grantCredits].map((operation) => ({
      operation,
      function: 'wallets',
    })),
    { operation: credits.listCreditPacks, function: 'creditPacks' },
    { operation: credits.upsertCreditPack, function: 'creditPacks' },
    ...[provisioning.listConnectors, provisioning.upsertConnector, provisioning.rotateConnectorSecret].map(
      (operation) => ({ operation, function: 'connectors' }),
    ),
    { operation: usage.ingestUsage, function: 'usage' },
    { operation: usage.getUsageSeries, function: 'usage' },
    ...[
      triggers.listTriggerPolicies,
      triggers.upsertTriggerPolicy,
      triggers.listServiceTriggers,
      triggers.setServiceTrigger,
      triggers.listTriggerFirings,
    ].map((operation) => ({ operation, function: 'triggers' })),
    ...[provisioning.listDeliveries, provisioning.replayDelivery, provisioning.provisioningCallback].map(
      (operation) => ({ operation, function: 'provisioning' }),
    ),
    ...[incidents.recordIncident, incidents.listIncidents, incidents.getIncident].map((operation) => ({
      operation,
      function: 'incidents',
    })),
    ...[invoices.listInvoices, invoices.getInvoice, invoices.getInvoicePdf].map((operation) => ({
      operation,
      function: 'invoices',
    })),
    ...[
      billing.getBillingSettings,
      billing.updateBillingSettings,
      billing.getTestClock,
      billing.advanceTestClock,
    ].map((operation) => ({ operation, function: 'billingAdmin' })),
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
    {
      name: 'billing-stores',
      visibilityTimeoutSeconds: 120,
      maxReceiveCount: 5,
      consumer: { function: 'sweepStore', batchSize: 1 },
    },
    {
      name: 'billing-items',
      visibilityTimeoutSeconds: 120,
      maxReceiveCount: 5,
      // Every posting is DynamoDB latency, not CPU: several batches at once keep the table busy.
      consumer: { function: 'billItem', batchSize: 10, maxConcurrency: 4 },
    },
    {
      name: 'incident-credits',
      // At least the worker's timeout, or a message would come back while it still runs.
      visibilityTimeoutSeconds: 360,
      maxReceiveCount: 5,
      consumer: { function: 'creditIncident', batchSize: 1 },
    },
    {
      name: 'auto-top-ups',
      visibilityTimeoutSeconds: 120,
      maxReceiveCount: 5,
      consumer: { function: 'autoTopUp', batchSize: 1 },
    },
    {
      name: 'invoice-charges',
      visibilityTimeoutSeconds: 120,
      maxReceiveCount: 5,
      consumer: { function: 'chargeInvoices', batchSize: 1 },
    },
    {
      name: 'customer-notices',
      visibilityTimeoutSeconds: 60,
      maxReceiveCount: 5,
      consumer: { function: 'customerNotices', batchSize: 10 },
    },
    {
      name: 'webhook-deliveries',
      // Longer than a batch of attempts (the function's timeout).
      visibilityTimeoutSeconds: 120,
      // Retries are new messages (backoff up to 72 h); this only catches a worker that keeps crashing.
      maxReceiveCount: 5,
      consumer: { function: 'deliverWebhooks', batchSize: 5, maxConcurrency: 4 },
    },
    {
      name: 'usage-records',
      // Accepted usage batches; at least the consumer's timeout.
      visibilityTimeoutSeconds: 120,
      maxReceiveCount: 5,
      consumer: { function: 'recordUsage', batchSize: 10, maxConcurrency: 2 },
    },
    {
      name: 'trigger-evaluations',
      // At least the evaluator's timeout, or a message would come back while it still runs.
      visibilityTimeoutSeconds: 120,
      maxReceiveCount: 5,
      consumer: { function: 'evaluateTriggers', batchSize: 10, maxConcurrency: 2 },
    },
    {
      name: 'failed-services',
      visibilityTimeoutSeconds: 120,
      maxReceiveCount: 5,
      consumer: { function: 'refundFailedServices', batchSize: 1 },
    },
    {
      name: 'test-clocks',
      // At least the walker's timeout, or a message would come back while it still runs.
      visibilityTimeoutSeconds: 960,
      maxReceiveCount: 3,
      consumer: { function: 'walkTestClocks', batchSize: 1 },
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
    {
      name: 'autoTopUpToQueue',
      description: 'A wallet below its auto top-up threshold buys its pack with the saved card',
      pattern: { source: ['nimbus.credits'], 'detail-type': ['credits.top_up_due'] },
      targets: [{ kind: 'queue', queue: 'auto-top-ups' }],
    },
    {
      name: 'cardInvoicesToQueue',
      description: 'An open card invoice (monthly usage) is charged to the saved card',
      pattern: { source: ['nimbus.invoices'], 'detail-type': ['invoice.issued'] },
      targets: [{ kind: 'queue', queue: 'invoice-charges' }],
    },
    {
      name: 'creditNoticesToQueue',
      description: 'Low and exhausted credits become emails to the customer’s finance members',
      pattern: { source: ['nimbus.credits'], 'detail-type': ['credits.low', 'credits.exhausted'] },
      targets: [{ kind: 'queue', queue: 'customer-notices' }],
    },
    {
      name: 'orderNoticesToQueue',
      description: 'A failed (and refunded) order becomes an email to the customer’s members who order',
      pattern: { source: ['nimbus.orders'], 'detail-type': ['order.failed'] },
      targets: [{ kind: 'queue', queue: 'customer-notices' }],
    },
    {
      name: 'serviceStepsToWebhooks',
      description:
        'A service’s lifecycle steps become webhooks to its provisioning platform (if its product has one)',
      pattern: {
        source: ['nimbus.subscriptions'],
        'detail-type': [
          'subscription.created',
          'subscription.started',
          'subscription.stopped',
          'subscription.resized',
          'subscription.suspended',
          'subscription.resumed',
          'subscription.terminated',
        ],
      },
      targets: [{ kind: 'queue', queue: 'webhook-deliveries' }],
    },
    {
      name: 'usageToTriggerEvaluations',
      description: 'Usage that arrives for a service evaluates its capacity triggers',
      pattern: { source: ['nimbus.usage'], 'detail-type': ['usage.recorded'] },
      targets: [{ kind: 'queue', queue: 'trigger-evaluations' }],
    },
    {
      name: 'failedServicesToRefunds',
      description: 'A service its platform could not provision is refunded (and the buyer told)',
      pattern: { source: ['nimbus.subscriptions'], 'detail-type': ['subscription.failed'] },
      targets: [{ kind: 'queue', queue: 'failed-services' }],
    },
  ],
  schedules: [
    {
      name: 'heartbeat',
      description: 'Publishes a platform heartbeat every minute',
      expression: 'rate(1 minute)',
      function: 'emitHeartbeat',
    },
    {
      name: 'hourlyBilling',
      description: 'Posts every finished service-hour, ends services whose time is up, looks at due wallets',
      expression: HOURLY_SWEEP_EXPRESSION,
      function: 'hourlySweep',
    },
    {
      name: 'triggerEvaluation',
      description: 'Evaluates every service with an enabled capacity trigger, also when no usage arrives',
      expression: 'rate(5 minutes)',
      function: 'scheduleTriggerEvaluations',
    },
  ],
};
