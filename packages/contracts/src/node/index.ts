/*
 * Helpers for the Node.js packages only (`@ablate/contracts/node`): the dashboard's browser bundle
 * imports `@ablate/contracts`, which must not pull Node's modules.
 */
export { packageVersion } from './package-version.js';
