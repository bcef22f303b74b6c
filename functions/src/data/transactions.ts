import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';

/** One item of a TransactWriteItems call, in the document client's (unmarshalled) shape. */
export type TransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>[number];

/**
 * Why a transaction did not happen: `condition` names the items whose condition failed (by their
 * index in the call); `conflict` is another transaction touching the same items at the same time
 * (DynamoDB cancels one of them): retry.
 */
export type TransactOutcome = { ok: true } | { ok: false; failedConditions: number[]; conflict: boolean };

/** Writes the items all or nothing, and says which conditions failed instead of throwing. */
export async function transact(
  client: DynamoDBDocumentClient,
  items: TransactItem[],
  clientRequestToken?: string,
): Promise<TransactOutcome> {
  try {
    await client.send(
      new TransactWriteCommand({
        TransactItems: items,
        ...(clientRequestToken ? { ClientRequestToken: clientRequestToken } : {}),
      }),
    );
    return { ok: true };
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const reasons = error.CancellationReasons ?? [];
    const failedConditions = reasons.flatMap((reason, index) =>
      reason.Code === 'ConditionalCheckFailed' ? [index] : [],
    );
    const conflict = reasons.some((reason) => reason.Code === 'TransactionConflict');
    if (failedConditions.length === 0 && !conflict) throw error;
    return { ok: false, failedConditions, conflict };
  }
}

/** A short random pause before retrying a lost race: spreads the retries of many writers. */
export const backoff = (attempt: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(200, 5 * 2 ** attempt)));
