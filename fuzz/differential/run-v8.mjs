// Runs a batch of generated modules in V8, one node process for the batch,
// making the calls the differential runner planned (plan.json, written by
// lucet-differential) and printing one line per call in the runner's coarse
// format (Observation.cpp):
//   <module> <call> ret i32:0x0000002a f32:nan ; mem 1 0123456789abcdef ; fuel=i32:0x0000012b
//   <module> <call> trap oob ; mem ...
// or "<module> error <message>" when the module does not instantiate.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

const plan = JSON.parse(readFileSync(process.argv[2], 'utf8'));

const f32 = new Float32Array(1), u32 = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1), u64 = new BigUint64Array(f64.buffer);

function toJs(text) {
  const [type, hex] = text.split(':');
  const bits = BigInt(hex);
  switch (type) {
    case 'i32': return Number(BigInt.asIntN(32, bits));
    case 'i64': return BigInt.asIntN(64, bits);
    case 'f32': u32[0] = Number(bits); return f32[0];
    case 'f64': u64[0] = bits; return f64[0];
  }
  throw new Error(`bad value ${text}`);
}

function fromJs(type, value) {
  switch (type) {
    case 'i32': return 'i32:0x' + (value >>> 0).toString(16).padStart(8, '0');
    case 'i64': return 'i64:0x' + BigInt.asUintN(64, value).toString(16).padStart(16, '0');
    case 'f32':
      if (Number.isNaN(value)) return 'f32:nan';
      f32[0] = value;
      return 'f32:0x' + u32[0].toString(16).padStart(8, '0');
    case 'f64':
      if (Number.isNaN(value)) return 'f64:nan';
      f64[0] = value;
      return 'f64:0x' + u64[0].toString(16).padStart(16, '0');
  }
  throw new Error(`bad type ${type}`);
}

// V8's RuntimeError messages, reduced to the runner's trap classes.
function trapClass(error) {
  const m = String(error && error.message);
  if (error instanceof RangeError && /call stack/.test(m)) return 'stack';
  if (!(error instanceof WebAssembly.RuntimeError)) return 'host-error:' + m;
  if (/memory access out of bounds|out of bounds memory access/.test(m)) return 'oob';
  if (/by zero/.test(m)) return 'div0';
  if (/unrepresentable|integer overflow|invalid conversion/.test(m)) return 'overflow';
  if (/unreachable/.test(m)) return 'unreachable';
  if (/table index is out of bounds|undefined element/.test(m)) return 'table-oob';
  if (/null function|signature mismatch|uninitialized element/.test(m)) return 'indirect';
  return 'other:' + m;
}

const out = [];
plan.modules.forEach((module, moduleIndex) => {
  let exports;
  try {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(module.wasm)));
    exports = instance.exports;
  } catch (error) {
    out.push(`${moduleIndex} error ${String(error.message).replace(/\n/g, ' ')}`);
    return;
  }
  const memory = exports.mem;
  module.calls.forEach((call, callIndex) => {
    exports.fuel.value = plan.fuel;
    let text;
    try {
      const value = exports[call.f](...call.args.map(toJs));
      const values = call.results.length === 1 ? [value] : call.results.length ? value : [];
      text = 'ret' + call.results.map((type, i) => ' ' + fromJs(type, values[i])).join('');
    } catch (error) {
      text = 'trap ' + trapClass(error);
    }
    const bytes = new Uint8Array(memory.buffer);
    const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
    text += ` ; mem ${bytes.length / 65536} ${hash} ;`;
    for (const [name, type] of module.globals) text += ` ${name}=${fromJs(type, exports[name].value)}`;
    out.push(`${moduleIndex} ${callIndex} ${text}`);
  });
  if (out.length > 1000) {
    process.stdout.write(out.join('\n') + '\n');
    out.length = 0;
  }
});
process.stdout.write(out.join('\n') + (out.length ? '\n' : ''));
