import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';

export const PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE';
/** A storefront query with its variables is a few KB; a bulk `registerProducts` of 1,000 SKUs ~200 KB. */
export const DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024;

export interface RequestSizeLimitOptions {
  /** @default DEFAULT_MAX_BODY_BYTES (2 MiB) */
  maxBodyBytes?: number;
}

function tooLarge(maxBodyBytes: number): Response {
  const body = { errors: [{ message: `Request body larger than ${maxBodyBytes} bytes.`, extensions: { code: PAYLOAD_TOO_LARGE, maxBodyBytes } }] };
  return new Response(JSON.stringify(body), { status: 413, headers: { 'content-type': 'application/json; charset=utf-8', connection: 'close' } });
}

/**
 * Refuses a request body above `maxBodyBytes` with HTTP 413 before it is parsed: at once from
 * `content-length`, or, for a chunked body, as soon as the bytes read pass the limit (the body is
 * never held whole beyond it).
 */
export function useRequestSizeLimit(options: RequestSizeLimitOptions = {}): GatewayPlugin {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1) throw new Error(`useRequestSizeLimit: maxBodyBytes must be a positive integer, got ${maxBodyBytes}`);
  return {
    async onRequest({ request, setRequest, endResponse }) {
      if (request.body === null) return;
      const declared = request.headers.get('content-length');
      if (declared !== null) {
        if (Number(declared) > maxBodyBytes) endResponse(tooLarge(maxBodyBytes));
        return;
      }
      const chunks: Uint8Array[] = [];
      let size = 0;
      const reader = request.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > maxBodyBytes) {
          await reader.cancel();
          return endResponse(tooLarge(maxBodyBytes));
        }
        chunks.push(value);
      }
      setRequest(new Request(request.url, { method: request.method, headers: request.headers, body: Buffer.concat(chunks), signal: request.signal }));
    },
  };
}
