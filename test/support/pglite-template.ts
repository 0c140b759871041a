// The template lives in kit/ (npm start loads it too); tests import it from here as before.
export { ensurePgliteTemplate, PGLITE_TEMPLATE_PATH } from '../../kit/pglite-template.ts';
