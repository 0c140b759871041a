import { ensurePgliteTemplate, PGLITE_TEMPLATE_PATH } from '../kit/pglite-template.ts';

/**
 * `npm install`'s last step (postinstall): the embedded PostgreSQL's fresh cluster, made once here
 * so that `npm start`'s first run copies it instead of running initdb. Failing is not fatal: npm
 * start then runs initdb itself, as before.
 */
try {
  const startedAt = performance.now();
  await ensurePgliteTemplate();
  console.log(`ponte: embedded PostgreSQL template ready (${PGLITE_TEMPLATE_PATH.split('/').pop()}, ${Math.round(performance.now() - startedAt)} ms)`);
} catch (error) {
  console.warn(`ponte: could not prepare the embedded PostgreSQL template (${(error as Error).message}); npm start will create its database itself`);
}
