// Runs a WASI (preview1) command module under Node's built-in node:wasi.
// Usage: node --no-warnings node-wasi.mjs [--dir GUEST:HOST]... MODULE.wasm [--] [args...]
// Mirrors lucet-wasi: argv[0] is the module path as typed, the environment is
// empty, and each --dir preopens HOST as GUEST (a spec without ':' maps to itself).
import { readFile } from 'node:fs/promises';
import process from 'node:process';
import { WASI } from 'node:wasi';

const argv = process.argv.slice(2);
const preopens = {};
let i = 0;
while (i < argv.length && argv[i] === '--dir') {
  const spec = argv[i + 1];
  if (spec === undefined) {
    console.error('node-wasi: --dir needs GUEST:HOST');
    process.exit(2);
  }
  const colon = spec.indexOf(':');
  if (colon < 0) preopens[spec] = spec;
  else preopens[spec.slice(0, colon)] = spec.slice(colon + 1);
  i += 2;
}
const modulePath = argv[i++];
if (modulePath === undefined) {
  console.error('node-wasi: no module given');
  process.exit(2);
}
if (argv[i] === '--') i++;
const args = [modulePath, ...argv.slice(i)];

const wasi = new WASI({ version: 'preview1', args, env: {}, preopens, returnOnExit: true });
const module = await WebAssembly.compile(await readFile(modulePath));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
const code = wasi.start(instance);
process.exitCode = code ?? 0;
