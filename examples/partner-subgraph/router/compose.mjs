// Compose federation subgraphs into a supergraph with Apollo's composition library.
//
//   node compose.mjs --out supergraph.graphql [--header "Name: value"]... NAME=URL...
//
// Asks each subgraph for `_service { sdl }`, composes them, writes the supergraph SDL to --out
// when composition succeeds, and prints a JSON report on stdout: {errors, hints}, each entry
// with its code, message and (for hints) the schema coordinate it is about. Exits 1 on errors.
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';

const TIMEOUT_MS = 30_000;

const { values, positionals } = parseArgs({
  options: { out: { type: 'string' }, header: { type: 'string', multiple: true, default: [] } },
  allowPositionals: true,
});

function headersOf(lines) {
  const headers = { 'content-type': 'application/json', accept: 'application/json' };
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

async function sdlOf(url) {
  const answer = await fetch(url, {
    method: 'POST',
    headers: headersOf(values.header),
    body: JSON.stringify({ query: '{ _service { sdl } }' }),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const body = await answer.json();
  if (!answer.ok || body.errors) {
    throw new Error(`${url} answered ${answer.status}: ${JSON.stringify(body.errors ?? body)}`);
  }
  return body.data._service.sdl;
}

async function serviceOf(argument) {
  const equals = argument.indexOf('=');
  if (equals < 1) throw new Error(`expected NAME=URL, got ${argument}`);
  const [name, url] = [argument.slice(0, equals), argument.slice(equals + 1)];
  return { name, url, typeDefs: parse(await sdlOf(url)) };
}

const services = await Promise.all(positionals.map(serviceOf));
const result = composeServices(services);
const report = {
  errors: (result.errors ?? []).map((e) => ({ code: e.extensions?.code, message: e.message })),
  hints: (result.hints ?? []).map((h) => ({
    code: h.definition.code,
    message: h.message,
    coordinate: h.coordinate ?? null,
  })),
};
if (result.supergraphSdl && values.out) await writeFile(values.out, result.supergraphSdl);
console.log(JSON.stringify(report, null, 2));
process.exitCode = report.errors.length ? 1 : 0;
