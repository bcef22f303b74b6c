/**
 * `npm run operator -- create --email ops@example.com --name "Olivia Ops" [--password …]`
 *
 * Creates a platform operator. Against AWS: pass `--table <TableName output of the stack>` with
 * AWS credentials in the environment. Locally (no --table): uses the running `npm start` runtime's
 * DynamoDB Local, or starts one on the data folder when the runtime is not running.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbOperatorRepository } from '#functions/identity/adapters/dynamodb-operator-repository.ts';
import { createOperator } from '#functions/identity/operators.ts';
import { newSecret } from '#functions/identity/secrets.ts';
import { Email, NewPassword } from '#shared/identity/api.ts';
import { systemClock } from '#shared/time/clock.ts';
import {
  ensureTable,
  LOCAL_CREDENTIALS,
  PrerequisiteError,
  startDynamoDbLocal,
} from '../local/backing-services.ts';
import { REPO_ROOT, RUNTIME_STATE_FILE } from '../local/runtime.ts';
import { nimbus } from '../topology/nimbus.ts';

const usage =
  'usage: npm run operator -- create --email <email> --name <name> [--password <12+ chars>] [--table <table>]';

function fail(message: string): never {
  console.error(`✖ ${message}`);
  process.exit(1);
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      password: { type: 'string' },
      table: { type: 'string' },
    },
  });
  if (positionals[0] !== 'create') fail(usage);
  const email = Email.safeParse(values.email);
  if (!email.success) fail(`--email: ${email.error.issues[0]?.message ?? 'invalid'}\n${usage}`);
  if (!values.name?.trim()) fail(`--name is required\n${usage}`);
  const password = values.password ?? newSecret().slice(0, 20);
  const checked = NewPassword.safeParse(password);
  if (!checked.success) fail(`--password: ${checked.error.issues[0]?.message}`);

  let client: DynamoDBClient;
  let tableName: string;
  let stop: () => Promise<void> = async () => undefined;
  if (values.table) {
    client = new DynamoDBClient({});
    tableName = values.table;
  } else {
    const dataDir = resolve(REPO_ROOT, process.env.NIMBUS_DATA_DIR ?? '.data');
    const stateFile = join(dataDir, RUNTIME_STATE_FILE);
    let endpoint: string | undefined;
    if (existsSync(stateFile)) {
      const state = JSON.parse(readFileSync(stateFile, 'utf8')) as {
        pid: number;
        dynamoDbEndpoint: string;
        tableName: string;
      };
      if (isAlive(state.pid)) {
        endpoint = state.dynamoDbEndpoint;
        tableName = state.tableName;
      }
    }
    if (!endpoint) {
      const dynamo = await startDynamoDbLocal(join(dataDir, 'dynamodb'));
      endpoint = dynamo.endpoint;
      stop = dynamo.stop;
    }
    tableName ??= `${nimbus.app}-local-${nimbus.table.name}`;
    client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
    await ensureTable(client, nimbus, tableName);
  }
  try {
    const operators = new DynamoDbOperatorRepository(DynamoDBDocumentClient.from(client), tableName);
    const operator = await createOperator(
      { operators, clock: systemClock },
      { email: email.data, name: values.name.trim(), password },
    );
    console.log(`✔ operator ${operator.email} (${operator.id}) created in ${tableName}`);
    if (!values.password) console.log(`  password: ${password}  (shown once; sign in and keep it safe)`);
  } finally {
    client.destroy();
    await stop();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

main().catch((error: unknown) => {
  if (error instanceof PrerequisiteError) fail(error.message);
  if (error instanceof Error && error.name === 'ConflictError') fail(error.message);
  console.error(error);
  process.exit(1);
});
