import type {
  ServiceTriggerTuning,
  TriggerFiringView,
  TriggerPolicyView,
  TriggerState,
} from '#shared/triggers/trigger.ts';
import type { TransactItem, TransactOutcome } from '../data/transactions.ts';
import type { Page } from '../subscriptions/subscription-store.ts';

export type StoredTriggerPolicy = TriggerPolicyView;

/** One policy on one service: the buyer's tuning and what evaluation remembers, in one item. */
export type StoredServiceTrigger = {
  subscriptionId: string;
  policyId: string;
  customerId: string;
  enabled: boolean;
  tuning: ServiceTriggerTuning;
  state: TriggerState;
  /** Every write is conditional on it: concurrent evaluations act once. */
  revision: number;
  updatedAt: string;
};

export type StoredFiring = TriggerFiringView;

/** Capacity-trigger data (adapters/dynamodb-trigger-store.ts). */
export interface TriggerStore {
  /** A store's policies, oldest first. */
  listPolicies(tenantId: string): Promise<StoredTriggerPolicy[]>;
  getPolicy(tenantId: string, policyId: string): Promise<StoredTriggerPolicy | undefined>;
  /** Creates the policy; false when the id exists. */
  createPolicy(tenantId: string, policy: StoredTriggerPolicy): Promise<boolean>;
  /** Replaces it if its revision is still `expectedRevision`; false otherwise. */
  replacePolicy(tenantId: string, policy: StoredTriggerPolicy, expectedRevision: number): Promise<boolean>;
  /** A service's triggers (read consistently). */
  serviceTriggers(tenantId: string, subscriptionId: string): Promise<StoredServiceTrigger[]>;
  serviceTrigger(
    tenantId: string,
    subscriptionId: string,
    policyId: string,
  ): Promise<StoredServiceTrigger | undefined>;
  /**
   * Writes a buyer's change (created when `expectedRevision` is undefined) with the item that
   * lists the trigger for the schedule while it is enabled; false when it changed meanwhile.
   */
  saveServiceTrigger(
    tenantId: string,
    trigger: StoredServiceTrigger,
    expectedRevision: number | undefined,
  ): Promise<boolean>;
  /** Transaction item: the trigger replaced (new state) if its revision is still `expectedRevision`. */
  stateItem(tenantId: string, trigger: StoredServiceTrigger, expectedRevision: number): TransactItem;
  /** Transaction item: a firing recorded (once: the id is new). */
  firingItem(tenantId: string, firing: StoredFiring): TransactItem;
  commit(items: TransactItem[]): Promise<TransactOutcome>;
  /** A service's firings, newest first. */
  firings(
    tenantId: string,
    subscriptionId: string,
    page: Page,
  ): Promise<{ items: StoredFiring[]; nextCursor?: string }>;
  /** Services with at least one enabled trigger (what the schedule evaluates). */
  servicesWithTriggers(tenantId: string): Promise<string[]>;
}
