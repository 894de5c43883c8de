// Node's equivalent of the booth page's import map: `node --import ./loader.mjs driver.mjs`.
//
// The vendored @noble/curves imports `@noble/hashes/…` (and may import `@noble/curves/…`) by
// bare specifier; in the browser an import map maps them to the vendored directories. Here a
// module resolve hook does the same, so the vendored files are used exactly as served,
// without a node_modules directory and without rewriting anything.
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

const VENDOR = new URL('../../../src/saylau/web/booth/static/booth/vendor/', import.meta.url);
const MAP = {
  '@noble/hashes/': new URL('noble-hashes-2.4.0/', VENDOR).href,
  '@noble/curves/': new URL('noble-curves-2.4.0/', VENDOR).href,
};

const BOOTH = new URL('../', VENDOR).href;

export async function resolve(specifier, context, nextResolve) {
  for (const [prefix, target] of Object.entries(MAP)) {
    if (specifier.startsWith(prefix)) {
      return { url: target + specifier.slice(prefix.length), shortCircuit: true, format: 'module' };
    }
  }
  const resolved = await nextResolve(specifier, context);
  // The booth's own .js files are ES modules (served as text/javascript); say so, since the
  // repository's package.json has no "type" field.
  return resolved.url.startsWith(BOOTH) ? { ...resolved, format: 'module' } : resolved;
}

if (isMainThread) register(import.meta.url); // the hooks run in Node's loader thread
