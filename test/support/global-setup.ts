import { ensurePgliteTemplate } from './pglite-template.ts';

export default async function setup(): Promise<void> {
  if (!process.env.DATABASE_URL) await ensurePgliteTemplate();
}
