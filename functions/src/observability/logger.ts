import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one structured logger. Service name and level come from POWERTOOLS_SERVICE_NAME and
 * POWERTOOLS_LOG_LEVEL; each invocation sets a correlation id (request id or message id).
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'nimbus' });
