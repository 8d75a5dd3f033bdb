import { Readable } from 'node:stream';

/**
 * An SDK v3 request handler that answers AWS Query-protocol calls (RDS, Redshift) in-process: the real client
 * serialises the request, this parses the form body, a route returns the XML result (or an error code), and the
 * real client deserialises it. Every call is recorded with its parameters.
 */
export interface FakeCall {
  action: string;
  params: Record<string, string>;
}
export type Route = (p: Record<string, string>) => string | { error: string; status?: number };

export function createQueryFake(namespace: string, routes: Record<string, Route>) {
  const calls: FakeCall[] = [];
  const requestHandler = {
    // plain objects: the SDK duck-types requests/responses (HttpResponse.isInstance checks the shape)
    async handle(req: { body?: unknown }): Promise<{ response: { statusCode: number; headers: Record<string, string>; body: Readable } }> {
      const body = typeof req.body === 'string' ? req.body : Buffer.from(req.body as Uint8Array).toString('utf8');
      const params = Object.fromEntries(new URLSearchParams(body));
      const action = params.Action;
      calls.push({ action, params });
      const route = routes[action];
      const out = route ? route(params) : { error: 'InvalidAction', status: 400 };
      const xml =
        typeof out === 'string'
          ? `<${action}Response xmlns="${namespace}"><${action}Result>${out}</${action}Result><ResponseMetadata><RequestId>fake-1</RequestId></ResponseMetadata></${action}Response>`
          : `<ErrorResponse><Error><Type>Sender</Type><Code>${out.error}</Code><Message>${out.error}</Message></Error><RequestId>fake-1</RequestId></ErrorResponse>`;
      return {
        response: { statusCode: typeof out === 'string' ? 200 : out.status ?? 404, headers: { 'content-type': 'text/xml' }, body: Readable.from([Buffer.from(xml)]) },
      };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
  };
  return { calls, requestHandler };
}

export const fakeClientConfig = { region: 'eu-west-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'fake-secret-not-used' }, maxAttempts: 1 };
