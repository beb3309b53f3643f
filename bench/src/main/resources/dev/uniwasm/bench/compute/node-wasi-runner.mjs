// Runs a WASI command under node:wasi: node node-wasi-runner.mjs [--dir HOST::GUEST]... APP.wasm [ARGS...]
// Prints "uniwasm-bench: prepare_ns=N run_ns=N" last on stderr: prepare is compile + instantiate,
// run is wasi.start(). Exits with the program's status.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { WASI } from 'node:wasi';

const argv = process.argv.slice(2);
const preopens = {};
while (argv[0] === '--dir') {
  const [host, guest] = argv[1].split('::');
  if (!guest) throw new Error(`--dir ${argv[1]}: expected HOST::GUEST`);
  preopens[guest] = host;
  argv.splice(0, 2);
}
const [wasmPath, ...args] = argv;
if (!wasmPath) throw new Error('usage: node-wasi-runner.mjs [--dir HOST::GUEST]... APP.wasm [ARGS...]');
const t0 = process.hrtime.bigint();
const wasi = new WASI({ version: 'preview1', args: [basename(wasmPath), ...args], env: {}, preopens, returnOnExit: true });
const module = await WebAssembly.compile(readFileSync(wasmPath));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
const t1 = process.hrtime.bigint();
const status = wasi.start(instance);
const t2 = process.hrtime.bigint();
process.stderr.write(`uniwasm-bench: prepare_ns=${t1 - t0} run_ns=${t2 - t1}\n`);
process.exitCode = status;
