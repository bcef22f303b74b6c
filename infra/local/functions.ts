/**
 * Runs the topology's Lambda handlers in this process: imports each handler module on first use
 * and invokes it with a Lambda-shaped context and the function's timeout, as the Lambda service
 * would. (Isolation differs: all functions share one process and one environment; per-function
 * IAM is checked by the CDK tests instead.)
 */
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import type { FunctionDef, Topology } from '../topology/types.ts';

type Handler = (event: unknown, context: Context) => Promise<unknown> | unknown;

export class FunctionTimeoutError extends Error {
  override name = 'FunctionTimeoutError';
}

export class LocalFunctions {
  readonly #definitions: Map<string, FunctionDef>;
  readonly #loaded = new Map<string, Promise<Handler>>();

  constructor(
    topology: Topology,
    private readonly rootDir: string,
  ) {
    this.#definitions = new Map(topology.functions.map((fn) => [fn.name, fn]));
  }

  definition(name: string): FunctionDef {
    const definition = this.#definitions.get(name);
    if (!definition) throw new Error(`The topology has no function '${name}'`);
    return definition;
  }

  async invoke(name: string, event: unknown): Promise<unknown> {
    const definition = this.definition(name);
    const handler = await this.#handler(name);
    const timeoutMs = (definition.timeoutSeconds ?? 10) * 1000;
    const deadline = Date.now() + timeoutMs;
    const context = lambdaContext(definition, deadline);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new FunctionTimeoutError(`${name}: Task timed out after ${timeoutMs / 1000} seconds`)),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([Promise.resolve(handler(event, context)), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  #handler(name: string): Promise<Handler> {
    let loading = this.#loaded.get(name);
    if (!loading) {
      const definition = this.definition(name);
      const url = pathToFileURL(resolve(this.rootDir, definition.entry)).href;
      loading = import(url).then((module: Record<string, unknown>) => {
        const exported = module[definition.handler ?? 'handler'];
        if (typeof exported !== 'function') {
          throw new Error(
            `${definition.entry} does not export a function '${definition.handler ?? 'handler'}'`,
          );
        }
        return exported as Handler;
      });
      this.#loaded.set(name, loading);
    }
    return loading;
  }
}

function lambdaContext(definition: FunctionDef, deadline: number): Context {
  const functionName = `nimbus-local-${definition.name}`;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: String(definition.memoryMb ?? 256),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
