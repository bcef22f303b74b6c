import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { CustomerBillingProfile } from '#shared/payments/payments.ts';
import { getTenantItem } from '../../data/items.ts';
import { epochSeconds, tenantPk } from '../../data/keys.ts';
import type { TransactItem } from '../../data/transactions.ts';
import type { PaymentStore, ProcessedEvent, SavedCard, StoredPaymentSettings } from '../payment-store.ts';

const SETTINGS_SK = 'PAYMENT_SETTINGS';
const profileSk = (customerId: string) => `BILLING_PROFILE#${customerId}`;
const eventSk = (eventId: string) => `PAYMENT_EVENT#${eventId}`;
/** Stripe retries an event for up to 3 days; a processed event is remembered well past that. */
const EVENT_RETENTION_DAYS = 30;

/** Payment settings, customers' billing profiles, processed provider events (docs/data-model.md). */
export class DynamoDbPaymentStore implements PaymentStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async #get(tenantId: string, sk: string) {
    const item = await getTenantItem(this.client, this.tableName, tenantId, sk);
    return item;
  }

  async settings(tenantId: string): Promise<StoredPaymentSettings | undefined> {
    return (await this.#get(tenantId, SETTINGS_SK))?.settings as StoredPaymentSettings | undefined;
  }

  async saveSettings(tenantId: string, settings: StoredPaymentSettings): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: tenantPk(tenantId), sk: SETTINGS_SK, entity: 'paymentSettings', settings },
      }),
    );
  }

  async billingProfile(tenantId: string, customerId: string): Promise<CustomerBillingProfile | undefined> {
    const item = await this.#get(tenantId, profileSk(customerId));
    return item ? CustomerBillingProfile.parse(item.profile) : undefined;
  }

  async saveBillingProfile(tenantId: string, profile: CustomerBillingProfile): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          pk: tenantPk(tenantId),
          sk: profileSk(profile.customerId),
          entity: 'billingProfile',
          profile,
        },
      }),
    );
  }

  async savedCard(tenantId: string, customerId: string): Promise<SavedCard | undefined> {
    return (await this.#get(tenantId, `CUSTOMER#${customerId}#SAVED_CARD`))?.card as SavedCard | undefined;
  }

  async saveCard(tenantId: string, customerId: string, card: SavedCard): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: tenantPk(tenantId), sk: `CUSTOMER#${customerId}#SAVED_CARD`, entity: 'savedCard', card },
      }),
    );
  }

  async processedEvent(tenantId: string, eventId: string): Promise<ProcessedEvent | undefined> {
    return (await this.#get(tenantId, eventSk(eventId)))?.event as ProcessedEvent | undefined;
  }

  processedEventItem(tenantId: string, event: ProcessedEvent): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: {
          pk: tenantPk(tenantId),
          sk: eventSk(event.eventId),
          entity: 'paymentEvent',
          event,
          expiresAt: epochSeconds(new Date(Date.parse(event.at) + EVENT_RETENTION_DAYS * 86_400_000)),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }
}
