import {
  actAsCustomer,
  type Customer,
  type Decision,
  decideApplication,
  fetchApplications,
  fetchSignupMode,
  type Impersonation,
  type SignupMode,
  setSignupMode,
} from '#lib/api/admin.ts';
import type { ApiProblem } from '#lib/api/http.ts';
import { isUnauthenticated } from '#lib/api/identity.ts';
import { fetchOrders, type OrderView } from '#lib/api/orders.ts';
import { checkCustomerId, SIGNUP_MODE_WORDS, sortApplications } from '#lib/console.ts';
import { CursorList } from '#lib/cursor-list.svelte.ts';
import { FormState } from '#lib/form.svelte.ts';
import { Resource } from '#lib/resource.svelte.ts';
import { checkRequired } from '#lib/validation.ts';
import type { ConsoleFrame } from '../console.svelte.ts';

export type ActAsField = 'customerId' | 'reason';

/** An application decided on this page, newest first. */
export type DecidedApplication = { customer: Customer; decision: Decision };

/**
 * The Customers page: applications waiting for a decision (customers:read; deciding needs
 * customers:manage), the store's sign-up mode (store:manage) and acting as a customer
 * (customers:impersonate), which hands out a one-hour bearer token.
 */
export class CustomersPage {
  readonly frame: ConsoleFrame;
  readonly applications: Resource<Customer[]>;
  announcement = $state('');

  /** Reason typed beside each application, by customer id. */
  reasons: Record<string, string> = $state({});
  /** Customer ids with a decision in flight. */
  deciding: string[] = $state([]);
  /** A decision that did not go through, shown beside its application. */
  decisionProblem: { customerId: string; problem: ApiProblem } | undefined = $state();
  decided: DecidedApplication[] = $state([]);

  /** The mode chosen in the form; starts as the store's current mode once it is read. */
  signupMode: SignupMode | undefined = $state();
  /** The mode the store has: read on load, and after each save. */
  savedMode: SignupMode | undefined = $state();
  readonly signupForm = new FormState<'signupMode'>('signup', { signupMode: 'Who can sign up' });

  actCustomerId = $state('');
  actReason = $state('');
  readonly actForm = new FormState<ActAsField>(
    'act-as',
    { customerId: 'Customer id', reason: 'Reason' },
    { codes: { customer_not_found: 'customerId' } },
  );
  /** The token just issued, with the customer's name when this page knows it. */
  impersonation: (Impersonation & { customerName?: string }) | undefined = $state();

  /** The customer id typed into "Find a customer" (their credits, services and orders). */
  findId = $state('');
  readonly findForm = new FormState<'customerId'>('find-customer', { customerId: 'Customer id' });
  /** The store's latest orders, each leading to its customer. */
  readonly recentOrders: CursorList<OrderView>;

  constructor(frame: ConsoleFrame) {
    this.frame = frame;
    this.applications = new Resource((signal) =>
      frame.guard(fetchApplications(frame.store, { signal, fetch: frame.fetch })),
    );
    this.recentOrders = new CursorList((cursor, signal) =>
      frame.guard(fetchOrders(frame.store, { cursor, limit: 10 }, { signal, fetch: frame.fetch })),
    );
  }

  /** A customer's page shows credits (finance:read) and services and orders (orders:read). */
  readonly canOpenCustomer: boolean = $derived.by(() => this.frame.canAny(['finance:read', 'orders:read']));
  readonly canSeeOrders: boolean = $derived.by(() => this.frame.can('orders:read'));

  /** The id to open, or undefined with the form saying what is wrong. */
  find(): string | undefined {
    const id = this.findId.trim();
    const problem = checkCustomerId(id);
    if (problem) {
      this.findForm.reject({ customerId: problem });
      return undefined;
    }
    this.findForm.clear();
    return id;
  }

  readonly canRead: boolean = $derived.by(() => this.frame.can('customers:read'));
  readonly canDecide: boolean = $derived.by(() => this.frame.can('customers:manage'));
  readonly canSetSignup: boolean = $derived.by(() => this.frame.can('store:manage'));
  readonly canActAs: boolean = $derived.by(() => this.frame.can('customers:impersonate'));
  readonly pending: Customer[] = $derived.by(() => sortApplications(this.applications.data ?? []));

  async load(): Promise<void> {
    await Promise.all([
      this.canRead ? this.applications.refresh() : undefined,
      this.loadSignupMode(),
      this.canSeeOrders ? this.recentOrders.reload() : undefined,
    ]);
  }

  private async loadSignupMode(): Promise<void> {
    if (!this.canSetSignup) return;
    const result = await this.frame.guard(fetchSignupMode(this.frame.store, { fetch: this.frame.fetch }));
    if (!result.ok) return;
    this.savedMode = result.data.signupMode;
    this.signupMode ??= result.data.signupMode;
  }

  dispose(): void {
    this.applications.dispose();
    this.recentOrders.dispose();
  }

  async decide(customer: Customer, decision: Decision): Promise<boolean> {
    if (this.deciding.includes(customer.id)) return false;
    this.deciding = [...this.deciding, customer.id];
    this.decisionProblem = undefined;
    try {
      const reason = this.reasons[customer.id]?.trim() || undefined;
      const result = await this.frame.guard(
        decideApplication(this.frame.store, customer.id, decision, reason, { fetch: this.frame.fetch }),
      );
      if (!result.ok) {
        if (isUnauthenticated(result.problem)) return false;
        this.decisionProblem = { customerId: customer.id, problem: result.problem };
        // 409 not_pending: someone else decided meanwhile; the list shows what is still open.
        if (result.problem.kind === 'http' && result.problem.status === 409) void this.applications.refresh();
        return false;
      }
      this.applications.data = (this.applications.data ?? []).filter((item) => item.id !== customer.id);
      this.decided = [{ customer: result.data, decision }, ...this.decided];
      const { [customer.id]: _done, ...rest } = this.reasons;
      this.reasons = rest;
      this.announcement =
        decision === 'approve'
          ? `Approved ${customer.name}. They got an email and can sign in now.`
          : `Rejected the application of ${customer.name}. They got an email saying so.`;
      return true;
    } finally {
      this.deciding = this.deciding.filter((id) => id !== customer.id);
    }
  }

  async saveSignupMode(): Promise<SignupMode | undefined> {
    const mode = this.signupMode;
    const result = await this.signupForm.submit(
      { signupMode: mode ? undefined : 'Choose how new customers get an account.' },
      () =>
        this.frame.guard(setSignupMode(this.frame.store, mode as SignupMode, { fetch: this.frame.fetch })),
    );
    if (!result?.ok) return undefined;
    this.savedMode = result.data.signupMode;
    this.signupMode = result.data.signupMode;
    this.announcement = `Saved: sign-up is now “${SIGNUP_MODE_WORDS[result.data.signupMode].label}”.`;
    return result.data.signupMode;
  }

  /** Puts a customer into the "Act as" form (from a decided application). */
  prepareActAs(customer: Customer): void {
    this.actCustomerId = customer.id;
    this.actForm.touch('customerId');
  }

  async actAs(): Promise<Impersonation | undefined> {
    const customerId = this.actCustomerId.trim();
    const reason = this.actReason.trim();
    const result = await this.actForm.submit(
      {
        customerId: checkCustomerId(customerId),
        reason:
          checkRequired(reason, 'Say why you act as this customer; it is kept in the audit log.') ??
          (reason.length > 500 ? 'Use at most 500 characters.' : undefined),
      },
      () =>
        this.frame.guard(actAsCustomer(this.frame.store, customerId, reason, { fetch: this.frame.fetch })),
    );
    if (!result?.ok) return undefined;
    const known = this.decided.find((item) => item.customer.id === result.data.customerId)?.customer;
    this.impersonation = { ...result.data, ...(known ? { customerName: known.name } : {}) };
    this.actReason = '';
    this.announcement = 'Token issued. It works for one hour.';
    return result.data;
  }

  /** Forgets the token on this page (it keeps working until it expires). */
  dismissToken(): void {
    this.impersonation = undefined;
  }
}
