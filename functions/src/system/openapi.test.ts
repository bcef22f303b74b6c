import { describe, expect, it } from 'vitest';
import { nimbus } from '#infra/topology/nimbus.ts';
import { PROVISIONING_WEBHOOKS } from '#shared/provisioning/api.ts';
import { buildOpenApiDocument } from './openapi.ts';

const operations = nimbus.routes.map((route) => route.operation);

describe('buildOpenApiDocument', () => {
  const document = buildOpenApiDocument(operations, '1.2.3', PROVISIONING_WEBHOOKS);

  it('is OpenAPI 3.1 and lists every operation under its path and method with its operationId', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.info.version).toBe('1.2.3');
    for (const operation of operations) {
      const pathItem = document.paths?.[operation.path] as Record<string, { operationId?: string }>;
      expect(pathItem?.[operation.method.toLowerCase()]?.operationId).toBe(operation.operationId);
    }
  });

  it('documents parameters, success schemas and the shared error shape', () => {
    const getStorefront = document.paths?.['/api/v1/stores/{store}']?.get;
    expect(getStorefront?.parameters).toEqual([
      expect.objectContaining({ name: 'store', in: 'path', required: true }),
    ]);
    expect(JSON.stringify(getStorefront?.responses?.['200'])).toContain('#/components/schemas/Storefront');
    expect(JSON.stringify(getStorefront?.responses?.['400'])).toContain('#/components/schemas/Error');
    expect(document.components?.schemas?.Error).toBeDefined();
    // Who may call is documented by the answers: public operations never answer 401.
    expect(getStorefront?.responses?.['401']).toBeUndefined();
    expect(document.paths?.['/api/v1/stores/{store}/api-keys']?.post?.responses?.['401']).toBeDefined();
    expect(document.paths?.['/api/v1/stores/{store}/auth/login']?.post?.responses?.['429']).toBeDefined();
  });

  it('documents the webhooks platforms receive: signed headers, the payload, the activation answer', () => {
    expect(Object.keys(document.webhooks ?? {}).sort()).toEqual([
      'service.activate',
      'service.resize',
      'service.resume',
      'service.start',
      'service.stop',
      'service.suspend',
      'service.terminate',
    ]);
    const activate = document.webhooks?.['service.activate']?.post;
    expect(activate?.parameters?.map((parameter) => ('name' in parameter ? parameter.name : ''))).toEqual([
      'webhook-id',
      'webhook-timestamp',
      'webhook-signature',
    ]);
    expect(JSON.stringify(activate?.requestBody)).toContain('#/components/schemas/ProvisioningWebhook');
    expect(JSON.stringify(activate?.responses?.['200'])).toContain('active');
    expect(document.components?.schemas?.ProvisioningWebhook).toBeDefined();
  });
});
