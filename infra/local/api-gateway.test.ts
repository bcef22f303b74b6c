import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { nimbus } from '../topology/nimbus.ts';
import { LocalApiGateway, normaliseResult, toEvent } from './api-gateway.ts';
import { LocalFunctions } from './functions.ts';

function request(method: string, headers: Record<string, string>): IncomingMessage {
  const message = new IncomingMessage(new Socket());
  message.method = method;
  message.headers = headers;
  message.httpVersion = '1.1';
  return message;
}

describe('toEvent (APIGatewayProxyEventV2, payload format 2.0)', () => {
  it('shapes headers, cookies, query, path parameters and body as API Gateway does', () => {
    const url = new URL('http://localhost:3000/api/v1/stores/demo?tag=a&tag=b&q=caf%C3%A9');
    const event = toEvent(
      request('POST', {
        host: 'localhost:3000',
        cookie: 'sid=1; theme=dark',
        'content-type': 'application/json',
      }),
      url,
      Buffer.from('{"a":1}'),
      'POST /api/v1/stores/{store}',
      { store: 'demo' },
      'req-1',
    );
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /api/v1/stores/{store}',
      rawPath: '/api/v1/stores/demo',
      rawQueryString: 'tag=a&tag=b&q=caf%C3%A9',
      cookies: ['sid=1', 'theme=dark'],
      queryStringParameters: { tag: 'a,b', q: 'café' },
      pathParameters: { store: 'demo' },
      body: '{"a":1}',
      isBase64Encoded: false,
      requestContext: {
        requestId: 'req-1',
        stage: '$default',
        http: { method: 'POST', path: '/api/v1/stores/demo' },
      },
    });
    expect(event.headers.cookie).toBeUndefined();
  });

  it('base64-encodes binary bodies and leaves out what is absent', () => {
    const event = toEvent(
      request('PUT', { 'content-type': 'application/octet-stream' }),
      new URL('http://localhost/api/upload'),
      Buffer.from([0xff, 0x00]),
      'PUT /api/upload',
      {},
      'req-2',
    );
    expect(event.isBase64Encoded).toBe(true);
    expect(event.body).toBe(Buffer.from([0xff, 0x00]).toString('base64'));
    expect(event.pathParameters).toBeUndefined();
    expect(event.queryStringParameters).toBeUndefined();
    expect(event.cookies).toBeUndefined();
  });
});

describe('normaliseResult', () => {
  it('treats a result without statusCode as a 200 JSON body', () => {
    expect(normaliseResult({ ok: true })).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: '{"ok":true}',
    });
    expect(normaliseResult({ statusCode: 204 })).toEqual({ statusCode: 204 });
  });
});

describe('route matching', () => {
  const gateway = new LocalApiGateway(nimbus, new LocalFunctions(nimbus, '.'));

  it('matches method and path template and decodes parameters', () => {
    expect(gateway.match('GET', '/api/v1/stores/demo%2Dcloud')?.pathParameters).toEqual({
      store: 'demo-cloud',
    });
    expect(gateway.match('GET', '/api/health')?.compiled.routeKey).toBe('GET /api/health');
    expect(gateway.match('POST', '/api/health')).toBeUndefined();
    expect(gateway.match('GET', '/api/v1/stores/demo/extra')).toBeUndefined();
  });
});
