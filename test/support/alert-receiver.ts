/** A receiver of Ponte's alert webhooks for tests, on port 0: checks each signature as a receiver would. */
import { createServer, type Server } from 'node:http';
import { DELIVERY_ID_HEADER, SIGNATURE_HEADER, verifyAlertSignature } from '../../subgraphs/platform-common/alerts.ts';

export interface ReceivedAlert {
  deliveryId: string;
  signatureValid: boolean;
  body: { id: string; type: string; alert: { id: string; rule: string; platform: string; severity: string; summary: string; details: Record<string, unknown>; firedAt: string; clearedAt: string | null } };
  answered: number;
}

/** A webhook receiver that answers 500 to the first attempt of each delivery id, then 200. */
export async function startAlertReceiver(secret: string): Promise<{ url: string; received: ReceivedAlert[]; close(): Promise<void> }> {
  const received: ReceivedAlert[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const deliveryId = String(request.headers[DELIVERY_ID_HEADER]);
      const answered = received.some((entry) => entry.deliveryId === deliveryId) ? 200 : 500;
      received.push({ deliveryId, signatureValid: verifyAlertSignature(secret, raw, request.headers[SIGNATURE_HEADER] as string | undefined), body: JSON.parse(raw), answered });
      response.writeHead(answered).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}/alerts`, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
