// Runs a wasm32-wasi (preview1) program under Node's node:wasi, the way `uniwasm run` runs it, so
// that the two can be compared (NodeWasiCrossCheckTest, the npm program tests):
//
//   node node-run.mjs [--dir GUEST=HOST]... [--env NAME=VALUE]... [--argv0 NAME] APP.wasm [ARGS...]
//
// --dir pre-opens HOST at GUEST (fd 3, 4, ... in the order given, as uniwasm numbers its mounts);
// node:wasi has no read-only pre-opens, so copy a fixture first if the program writes. argv[0] is
// the wasm file's name unless --argv0 says otherwise (uniwasm passes the name the user gave). The
// environment holds only what --env gives. stdin, stdout and stderr are the process's own.
//
// Exit status: the program's (proc_exit, 0 when _start returns). A Wasm trap prints
// "trap: <V8's message>" on stderr and exits with uniwasm's status for that trap (128 + the trap
// code of runtime/include/uniwasm/abi.h) when V8's message names one, else 128. Usage errors exit 2.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { WASI } from 'node:wasi';

function usage(problem) {
    process.stderr.write(`node-run.mjs: ${problem}\n` +
        'usage: node node-run.mjs [--dir GUEST=HOST]... [--env NAME=VALUE]... [--argv0 NAME] APP.wasm [ARGS...]\n');
    process.exit(2);
}

const preopens = {};
const env = {};
let argv0 = null;
const argv = process.argv.slice(2);
let i = 0;
for (; i < argv.length && argv[i].startsWith('--'); i++) {
    const flag = argv[i];
    if (flag === '--') { i++; break; }
    const value = argv[++i];
    if (value === undefined) usage(`${flag} needs a value`);
    const eq = value.indexOf('=');
    if (flag === '--dir') {
        if (eq <= 0 || eq === value.length - 1) usage(`--dir '${value}': expected GUEST=HOST`);
        const guest = value.slice(0, eq);
        if (guest in preopens) usage(`--dir '${value}': ${guest} is pre-opened twice`);
        preopens[guest] = value.slice(eq + 1);
    } else if (flag === '--env') {
        if (eq <= 0) usage(`--env '${value}': expected NAME=VALUE`);
        env[value.slice(0, eq)] = value.slice(eq + 1);
    } else if (flag === '--argv0') {
        argv0 = value;
    } else {
        usage(`unknown flag ${flag}`);
    }
}
if (i >= argv.length) usage('no APP.wasm given');
const wasmPath = argv[i];
const args = [argv0 ?? basename(wasmPath), ...argv.slice(i + 1)];

let bytes;
try {
    bytes = readFileSync(wasmPath);
} catch (e) {
    usage(`${wasmPath}: ${e.message}`);
}

// V8's trap messages, mapped to enum uw_trap_code (abi.h) so that a trap ends with the status
// uniwasm gives it.
const TRAP_STATUS = [
    [/unreachable/, 129],
    [/divide by zero|remainder by zero/, 130],
    [/divide result unrepresentable/, 131],
    [/float unrepresentable in integer range/, 132],
    [/memory access out of bounds/, 133],
    [/table index is out of bounds/, 134],
    [/null function|function signature mismatch/, 136],
    [/Maximum call stack size exceeded/, 138],
];

const wasi = new WASI({ version: 'preview1', args, env, preopens, returnOnExit: true });
try {
    const module = await WebAssembly.compile(bytes);
    const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
    process.exitCode = wasi.start(instance);
} catch (e) {
    if (e instanceof WebAssembly.RuntimeError || e instanceof RangeError) {
        process.stderr.write(`trap: ${e.message}\n`);
        process.exitCode = (TRAP_STATUS.find(([pattern]) => pattern.test(e.message)) ?? [null, 128])[1];
    } else {
        process.stderr.write(`node-run.mjs: ${wasmPath}: ${e.message}\n`);
        process.exitCode = 1;
    }
}
