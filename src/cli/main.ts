/**
 * `fusion-inspector info | analyze | fuse | verify | ort-check` — the command-line face of src/core.
 * Exit codes: 0 success (verify: equivalent), 1 verify or ort-check found a difference, 2 unreadable input or usage.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InputError, load } from './loadModel';
import { strings, UsageError, type Parsed } from './args';
import { ANALYZE_FORMATS, cmdAnalyze } from './analyzeCommand';
import { cmdVerify, VERIFY_COMMAND } from './verifyCommand';
import { cmdOrtCheck, ORT_CHECK_COMMAND } from './ortCheckCommand';
import { fuseNote } from './fuseNote';
import { formatShape } from '../core/graph/shapeInference';
import { writeModel } from '../core/onnx/modelIO';
import { summarizeModel, type TensorSummary } from '../core/report';
import { fuse } from '../core/rewrite/fuse';
import { diagnose } from '../core/graph/diagnostics';
import { buildGraph } from '../core/graph/graph';

/** Each command: its arguments, what it does, and the options it takes (parsed strictly). */
interface CommandSpec {
  args: string;
  /** How many paths it takes; `'1+'`: one or more. */
  positionals: number | '1+';
  summary: string;
  options: ParseArgsConfig['options'];
}

const JSON_OPT = { json: { type: 'boolean' } } as const;
const HELP_OPT = { help: { type: 'boolean', short: 'h' } } as const;

const COMMANDS = {
  info: { args: '<model.onnx> [--json]', positionals: 1, summary: 'IR version, opsets, producer, op histogram, inputs and outputs, warnings', options: { ...JSON_OPT, ...HELP_OPT } },
  analyze: {
    args: `<model.onnx | folder>... [--json | --format ${ANALYZE_FORMATS.join('|')}] [--fail-on unfused | --fail-on refused:<CODE>]... [--threads N]`,
    positionals: '1+',
    summary: 'every BatchNormalization pair: fusable, or not fusable with the exact reasons; several models (folders walked) on worker threads',
    options: { ...JSON_OPT, format: { type: 'string' }, 'fail-on': { type: 'string', multiple: true }, threads: { type: 'string' }, ...HELP_OPT },
  },
  fuse: {
    args: '<in.onnx> -o <out.onnx> [--only <pair id>]...',
    positionals: 1,
    summary: 'fold the fusable pairs (or only the named ones) and write the model',
    options: { output: { type: 'string', short: 'o' }, only: { type: 'string', multiple: true }, ...HELP_OPT },
  },
  verify: VERIFY_COMMAND,
  'ort-check': ORT_CHECK_COMMAND,
} satisfies Record<string, CommandSpec>;

type CommandName = keyof typeof COMMANDS;

const EXIT_CODES = `exit codes: 0 success (verify: equivalent; ort-check: equal), 1 verify or ort-check found a difference or analyze --fail-on matched, 2 unreadable input or bad usage`;

function commandUsage(name: CommandName): string {
  const c = COMMANDS[name];
  return `usage: fusion-inspector ${name} ${c.args}\n  ${c.summary}\n${EXIT_CODES}`;
}

const USAGE = [
  'usage: fusion-inspector <command> [options]',
  ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(8)} ${c.args}\n           ${c.summary.split('\n')[0]}`),
  '  help [command], --help, --version',
  EXIT_CODES,
].join('\n');


function isCommand(name: string): name is CommandName {
  return Object.hasOwn(COMMANDS, name);
}

/** Strict per-command parsing: an option the command does not take, or a wrong count of paths, is a usage error. */
function parseCommand(name: CommandName, args: string[]): Parsed {
  const spec: CommandSpec = COMMANDS[name];
  let parsed;
  try {
    parsed = parseArgs({ args, options: spec.options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0].replace(/\. To specify a positional argument.*$/, ''), name);
  }
  const values = parsed.values as Parsed['values'];
  if (values.help) return { positional: [], values };
  const n = parsed.positionals.length;
  if (spec.positionals === '1+') {
    if (n === 0) throw new UsageError(`${name} takes at least one model path or folder`, name);
  } else if (n !== spec.positionals) {
    const what = spec.positionals === 1 ? 'one model path' : `${spec.positionals} model paths`;
    throw new UsageError(`${name} takes ${what}, got ${n}${n > spec.positionals ? `: ${parsed.positionals.slice(spec.positionals).map((p) => `"${p}"`).join(', ')} extra` : ''}`, name);
  }
  return { positional: parsed.positionals, values };
}




const VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

function shapeText(t: TensorSummary): string {
  return `${t.name}  ${t.dtype} ${formatShape(t.shape)}`;
}

function cmdInfo(p: Parsed, out: (s: string) => void, err: (s: string) => void): number {
  const [path] = p.positional;
  const { model, external } = load(path, err);
  const s = summarizeModel(model);
  if (p.values.json === true) {
    out(JSON.stringify({ ...s, externalData: external, warnings: diagnose(buildGraph(model)) }, null, 2));
    return 0;
  }
  out(`model       ${path}`);
  out(`IR version  ${s.irVersion ?? '(none)'}`);
  out(`opsets      ${s.opsets.map((o) => `${o.domain} ${o.version}`).join(', ')}`);
  out(`producer    ${s.producer} ${s.producerVersion}`.trimEnd());
  out(`nodes       ${s.nodeCount} (${s.initializerCount} initializers)`);
  out('op types');
  for (const [op, n] of Object.entries(s.opTypes)) out(`  ${String(n).padStart(6)}  ${op}`);
  out('inputs');
  for (const t of s.inputs) out(`  ${shapeText(t)}`);
  out('outputs');
  for (const t of s.outputs) out(`  ${shapeText(t)}`);
  if (external.length > 0) out('external data');
  for (const e of external) out(`  ${e.state.padEnd(12)} ${e.message}`);
  const diags = diagnose(buildGraph(model));
  if (diags.length > 0) out('warnings');
  for (const d of diags) out(`  ${d.code}: ${d.message}`);
  return 0;
}

function cmdFuse(p: Parsed, out: (s: string) => void, err: (s: string) => void): number {
  const [path] = p.positional;
  const dest = p.values.output;
  if (typeof dest !== 'string' || dest === '') throw new UsageError('fuse needs -o <out.onnx>', 'fuse');
  const { model, external } = load(path, err);
  const only = strings(p, 'only');
  const res = fuse(model, only.length > 0 ? { only } : {});
  if (res.unknown.length > 0) {
    throw new InputError(`no pair has the id ${res.unknown.map((u) => `"${u}"`).join(', ')} in ${path} (run \`fusion-inspector analyze ${path}\` for the ids); nothing written`);
  }
  writeFileSync(dest, writeModel(res.model));
  for (const f of res.folded) out(`folded   ${f.id}  (removed ${f.removedNodes.join(', ')}; new weight ${f.weight}, bias ${f.bias})`);
  for (const s of res.skipped) out(`skipped  ${s.id}  ${s.reasons.map((r) => r.code).join(', ')}`);
  for (const u of res.superseded) out(`merged   ${u}  (a fold next to it already removed its BatchNormalization or Linear)`);
  out(`${res.folded.length} folded, ${res.skipped.length} skipped; ${res.nodesBefore} → ${res.nodesAfter} nodes; wrote ${dest}`);
  const note = fuseNote(res, dest, only.length > 0);
  if (note) err(`fusion-inspector: ${note}`);
  const loaded = external.filter((e) => e.state === 'loaded');
  if (loaded.length > 0) out(`note: ${dest} still reads untouched weights from ${loaded.map((e) => e.location).join(', ')}, relative to its own folder; keep those files next to it.`);
  return 0;
}

export async function main(argv: string[], out: (s: string) => void = console.log, err: (s: string) => void = console.error): Promise<number> {
  try {
    const [cmd, ...rest] = argv;
    if (cmd === undefined) {
      err(USAGE);
      return 2;
    }
    if (cmd === '--version' || cmd === '-V') {
      out(VERSION);
      return 0;
    }
    if (cmd === '--help' || cmd === '-h' || cmd === 'help') {
      const topic = rest[0];
      if (topic !== undefined && !isCommand(topic)) throw new UsageError(`unknown command "${topic}"`);
      if (rest.length > 1) throw new UsageError('help takes at most one command');
      out(topic !== undefined ? commandUsage(topic) : USAGE);
      return 0;
    }
    if (!isCommand(cmd)) throw new UsageError(`unknown command "${cmd}"`);
    const p = parseCommand(cmd, rest);
    if (p.values.help) {
      out(commandUsage(cmd));
      return 0;
    }
    switch (cmd) {
      case 'info':
        return cmdInfo(p, out, err);
      case 'analyze':
        return await cmdAnalyze(p, out, err);
      case 'fuse':
        return cmdFuse(p, out, err);
      case 'verify':
        return await cmdVerify(p, out, err);
      case 'ort-check':
        return await cmdOrtCheck(p, out, err);
      default:
        return cmd satisfies never;
    }
  } catch (e) {
    if (e instanceof UsageError) {
      err(`fusion-inspector: ${e.message}\n${e.command && isCommand(e.command) ? commandUsage(e.command) : USAGE}`);
      return 2;
    }
    if (e instanceof InputError) {
      err(`fusion-inspector: ${e.message}`);
      return 2;
    }
    err(`fusion-inspector: internal error: ${(e as Error).message}`);
    return 2;
  }
}

/**
 * The process entry: a reader that closes the pipe early (`… | head -1`) ends the output quietly
 * with exit 0; exit 1 stays reserved for verify finding a difference.
 */
export async function runCli(argv: string[]): Promise<void> {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  process.exitCode = await main(argv);
}
