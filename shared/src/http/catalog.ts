import { getHealth, getOpenApiDocument } from '../system/api.ts';
import { getStorefront } from '../tenants/api.ts';
import type { Operation } from './operation.ts';

/** Every operation of the HTTP API. The topology routes each to a function; a test checks both agree. */
export const operations: Operation[] = [getHealth, getOpenApiDocument, getStorefront];
