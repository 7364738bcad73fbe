// Runs the graphql-http server audits against a running GraphQL endpoint and prints the
// results as JSON: [{id, name, status, reason?}], one entry per audit.
//
// usage: node graphql_http_audit.mjs <path to graphql-http's package folder> <endpoint url>

import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [packageDir, url] = process.argv.slice(2);
if (!packageDir || !url) {
  console.error('usage: node graphql_http_audit.mjs <graphql-http folder> <endpoint url>');
  process.exit(2);
}

// the package lives in a cache folder, not beside this script, so it is imported by path
const { serverAudits } = await import(pathToFileURL(join(packageDir, 'lib', 'index.mjs')).href);

const results = [];
for (const audit of serverAudits({ url, fetchFn: fetch })) {
  const result = await audit.fn();
  const entry = { id: result.id, name: result.name, status: result.status };
  if (result.status !== 'ok') {
    entry.reason = result.reason;
    entry.httpStatus = result.response?.status;
  }
  results.push(entry);
}
process.stdout.write(JSON.stringify(results));
