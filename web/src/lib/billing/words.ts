/**
 * Words and symbols for the money pages (orders, services, wallets, billing): every status as a
 * word and a symbol, never colour alone. Keyed by the shared unions, so a status added in shared/
 * is a type error here until it has words.
 */
import type { LedgerEntryType, WalletStatus } from '#lib/api/credits.ts';
import type { IncidentStatus } from '#lib/api/incidents.ts';
import type { InvoiceStatus, InvoiceView } from '#lib/api/invoices.ts';
import type { OrderStatus, PaymentMethod } from '#lib/api/orders.ts';
import type { CreditPurchaseStatus } from '#lib/api/payments.ts';
import type { SubscriptionState } from '#lib/api/services.ts';
import type { PillTone } from '#lib/status.ts';
import type { SubscriptionAction } from '#shared/subscriptions/lifecycle.ts';

export type Badge = { word: string; symbol: string; tone: PillTone };

export const ORDER_STATUS: Record<OrderStatus, Badge> = {
  pending_payment: { word: 'Awaiting payment', symbol: '…', tone: 'warning' },
  paid: { word: 'Paid', symbol: '✓', tone: 'ok' },
  provisioning: { word: 'Setting up', symbol: '…', tone: 'warning' },
  completed: { word: 'Completed', symbol: '✓', tone: 'ok' },
  failed: { word: 'Failed', symbol: '✕', tone: 'danger' },
  cancelled: { word: 'Cancelled', symbol: '✕', tone: 'neutral' },
};

export const SERVICE_STATE: Record<SubscriptionState, Badge & { meaning: string }> = {
  pending: { word: 'Pending', symbol: '…', tone: 'warning', meaning: 'Waiting to be set up.' },
  provisioning: {
    word: 'Setting up',
    symbol: '…',
    tone: 'warning',
    meaning: 'The platform is setting the service up.',
  },
  active: { word: 'Running', symbol: '▶', tone: 'ok', meaning: 'Running and billed at its hourly rate.' },
  stopped: {
    word: 'Stopped',
    symbol: '■',
    tone: 'neutral',
    meaning: 'Stopped: billed at its stopped rate (storage) until started again.',
  },
  suspended: {
    word: 'Suspended',
    symbol: '!',
    tone: 'danger',
    meaning: 'Suspended: not running and not billed until resumed.',
  },
  terminated: { word: 'Terminated', symbol: '✕', tone: 'neutral', meaning: 'Ended: no longer billed.' },
  failed: { word: 'Failed', symbol: '✕', tone: 'danger', meaning: 'Could not be set up.' },
};

export const WALLET_STATUS: Record<WalletStatus, Badge & { meaning: string }> = {
  ok: { word: 'OK', symbol: '✓', tone: 'ok', meaning: 'Enough credits for the running services.' },
  low: {
    word: 'Low',
    symbol: '!',
    tone: 'warning',
    meaning: 'Credits run out soon at the current burn: top up to keep services running.',
  },
  exhausted: {
    word: 'Exhausted',
    symbol: '✕',
    tone: 'danger',
    meaning: 'No credits left: services keep running for the grace period, then they are suspended.',
  },
};

export const ENTRY_TYPE: Record<LedgerEntryType, string> = {
  purchase: 'Purchase',
  bonus: 'Bonus',
  grant: 'Grant',
  debit: 'Usage',
  expiry: 'Expiry',
  adjustment: 'Adjustment',
  reversal: 'Reversal',
};

export const PAYMENT_METHOD: Record<PaymentMethod, { word: string; description: string }> = {
  credits: { word: 'Credits', description: 'Setup fees now, then every hour from your credit balance.' },
  card: { word: 'Card', description: 'Pay by credit or debit card.' },
  invoice: { word: 'Invoice', description: 'Pay by bank transfer against a monthly invoice.' },
};

export const ACTOR: Record<'buyer' | 'merchant' | 'system' | 'platform', string> = {
  buyer: 'Customer',
  merchant: 'Store staff',
  system: 'Automatic',
  platform: 'Platform',
};

const ACTION: Record<SubscriptionAction, string> = {
  provision: 'Setup started',
  activate: 'Activated',
  fail: 'Failed',
  start: 'Started',
  stop: 'Stopped',
  resize: 'Resized',
  suspend: 'Suspended',
  resume: 'Resumed',
  terminate: 'Terminated',
};

/** "Started", "Resized"; an action this page does not know is shown as it is. */
export function actionWord(action: string): string {
  return (ACTION as Record<string, string>)[action] ?? action;
}

export const INVOICE_STATUS: Record<InvoiceStatus, Badge> = {
  open: { word: 'Open', symbol: '…', tone: 'warning' },
  paid: { word: 'Paid', symbol: '✓', tone: 'ok' },
  void: { word: 'Void', symbol: '✕', tone: 'neutral' },
};

/** What an invoice is for, from its source. */
export const INVOICE_SOURCE: Record<InvoiceView['source']['kind'], string> = {
  order: 'Order',
  creditPurchase: 'Credits',
  usage: 'Monthly usage',
};

export const PURCHASE_STATUS: Record<CreditPurchaseStatus, Badge> = {
  pending_payment: { word: 'Awaiting payment', symbol: '…', tone: 'warning' },
  paid: { word: 'Paid', symbol: '✓', tone: 'ok' },
  cancelled: { word: 'Cancelled', symbol: '✕', tone: 'neutral' },
};

export const INCIDENT_STATUS: Record<IncidentStatus, Badge> = {
  crediting: { word: 'Crediting', symbol: '…', tone: 'warning' },
  done: { word: 'Done', symbol: '✓', tone: 'ok' },
};
