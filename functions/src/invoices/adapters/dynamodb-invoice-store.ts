import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { InvoiceSource, InvoiceStatus } from '#shared/invoices/invoice.ts';
import { getTenantItem } from '../../data/items.ts';
import { customerPk, tenantPk } from '../../data/keys.ts';
import { listDocuments } from '../../data/paging.ts';
import type { TransactItem } from '../../data/transactions.ts';
import type { InvoiceStore, StoredInvoice } from '../invoice-store.ts';

const PREFIX = 'INVOICE#';
const invoiceSk = (invoiceId: string) => `${PREFIX}${invoiceId}`;
/** Not under `INVOICE#`, so a list of invoices never meets it. */
const COUNTER_SK = 'INVOICE_COUNTER';
const sourceSk = (source: InvoiceSource) => `INVOICE_SOURCE#${source.kind}#${source.id}`;

/**
 * Invoices in the tenant's partition, a customer's through `customerItems`; the gapless counter
 * and the per-source markers beside them (docs/data-model.md).
 */
export class DynamoDbInvoiceStore implements InvoiceStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async #getItem(tenantId: string, sk: string) {
    const item = await getTenantItem(this.client, this.tableName, tenantId, sk);
    return item;
  }

  async get(tenantId: string, invoiceId: string): Promise<StoredInvoice | undefined> {
    return (await this.#getItem(tenantId, invoiceSk(invoiceId)))?.invoice as StoredInvoice | undefined;
  }

  list(
    tenantId: string,
    filter: { customerId?: string | undefined; status?: InvoiceStatus | undefined },
    page: { limit: number; cursor?: string | undefined },
  ) {
    return listDocuments<StoredInvoice>(
      this.client,
      this.tableName,
      {
        tenantId,
        customerId: filter.customerId,
        prefix: PREFIX,
        document: 'invoice',
        where: filter.status ? { field: 'status', value: filter.status } : undefined,
      },
      page,
    );
  }

  async bySource(tenantId: string, source: InvoiceSource): Promise<StoredInvoice | undefined> {
    const marker = await this.#getItem(tenantId, sourceSk(source));
    return typeof marker?.invoiceId === 'string' ? this.get(tenantId, marker.invoiceId) : undefined;
  }

  async lastSequence(tenantId: string): Promise<number> {
    const counter = await this.#getItem(tenantId, COUNTER_SK);
    return typeof counter?.last === 'number' ? counter.last : 0;
  }

  #item(tenantId: string, invoice: StoredInvoice) {
    return {
      pk: tenantPk(tenantId),
      sk: invoiceSk(invoice.id),
      entity: 'invoice',
      customerPk: customerPk(tenantId, invoice.customerId),
      invoice,
    };
  }

  issueItems(tenantId: string, invoice: StoredInvoice, previous: number): TransactItem[] {
    const pk = tenantPk(tenantId);
    // Named before they are combined: the counter is where the previous writer left it.
    const counterUnused = 'attribute_not_exists(#last)';
    const counterAt = '#last = :previous';
    return [
      {
        Update: {
          TableName: this.tableName,
          Key: { pk, sk: COUNTER_SK },
          UpdateExpression: 'SET #last = :next, #entity = :entity',
          ConditionExpression: previous === 0 ? counterUnused : counterAt,
          ExpressionAttributeNames: { '#last': 'last', '#entity': 'entity' },
          ExpressionAttributeValues: {
            ':next': invoice.sequence,
            ':entity': 'invoiceCounter',
            ...(previous === 0 ? {} : { ':previous': previous }),
          },
        },
      },
      {
        Put: {
          TableName: this.tableName,
          Item: this.#item(tenantId, invoice),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName: this.tableName,
          Item: { pk, sk: sourceSk(invoice.source), entity: 'invoiceSource', invoiceId: invoice.id },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ];
  }

  updateItem(tenantId: string, invoice: StoredInvoice, expectedRevision: number): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: this.#item(tenantId, invoice),
        ConditionExpression: '#invoice.#revision = :expected',
        ExpressionAttributeNames: { '#invoice': 'invoice', '#revision': 'revision' },
        ExpressionAttributeValues: { ':expected': expectedRevision },
      },
    };
  }
}
