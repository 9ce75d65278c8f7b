/**
 * The shell's runtime: runs a parsed script statement by statement, pipelines object by
 * object, binds parameters, asks before changes, and reports errors the way PowerShell
 * does. An error in one statement does not stop the next (PowerShell's default); the
 * session remembers that something failed, for the exit code.
 */
import { UmpinError, type ErrorLanguage } from '../domain/errors.js';
import type { CommandCall, Expression, Pipeline, Script, Span, Statement } from './ast.js';
import {
  bindArguments,
  bindPipelineObject,
  checkMandatory,
  closest,
  takesPipelineInput,
  type BoundCommand,
} from './binder.js';
import type { BuiltinContext, ShellCommand } from './builtin.js';
import type { CmdletContext, CmdletDefinition, View } from './cmdlet.js';
import { languageFromLocaleEnv } from './culture.js';
import { asUmpinError, renderErrorRecord } from './error-record.js';
import { formatOutput } from './format.js';
import type { Host } from './host.js';
import type { ShellOperations } from './operations.js';
import { parse } from './parser.js';
import { Progress } from './progress.js';
import { getProperty } from './ps-object.js';
import { ArgNumber, compare, Hashtable, isTrue, ScriptBlock, toText, type Comparison } from './values.js';

export interface SessionOptions {
  ops: ShellOperations;
  host: Host;
  commands: readonly ShellCommand[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** the language of error messages; default: the culture of `env` (LC_ALL, LC_MESSAGES, LANG) */
  language?: ErrorLanguage;
}

/**
 * Thrown to stop a statement: the error is already reported (or deliberately silent).
 * `script`: -ErrorAction Stop, which stops the whole script as in PowerShell.
 */
class StatementStopped extends Error {
  constructor(readonly how: 'reported' | 'silent' | 'script' | 'exit') {
    super('stopped');
  }
}

interface RunState {
  source: string;
  origin: string | undefined;
  signal: AbortSignal;
}

function single(values: unknown[]): unknown {
  return values.length === 0 ? null : values.length === 1 ? values[0] : values;
}

/** What flows into a pipeline from a value: arrays are enumerated, $null sends nothing. */
function enumerate(value: unknown): unknown[] {
  if (value === null || value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

export class Session {
  private readonly variables = new Map<string, unknown>();
  private readonly byName = new Map<string, ShellCommand>();
  private readonly views = new Map<string, View>();
  private readonly cwd: string;
  private readonly env: NodeJS.ProcessEnv;
  /** the session's culture, in which errors are worded */
  readonly language: ErrorLanguage;
  private controller = new AbortController();
  /** errors reported so far */
  private errorCount = 0;

  /** true once any command reported an error: `umpin shell -c` exits 1 */
  get hadErrors(): boolean {
    return this.errorCount > 0;
  }

  constructor(private readonly opts: SessionOptions) {
    this.cwd = opts.cwd ?? process.cwd();
    this.env = opts.env ?? process.env;
    this.language = opts.language ?? languageFromLocaleEnv(this.env);
    for (const c of opts.commands) {
      for (const n of [c.definition.name, ...(c.definition.aliases ?? [])]) this.byName.set(n.toLowerCase(), c);
      for (const o of c.definition.outputs ?? []) this.views.set(o.typeName, o.view);
    }
  }

  get commands(): readonly ShellCommand[] {
    return this.opts.commands;
  }

  get host(): Host {
    return this.opts.host;
  }

  /** Ctrl-C: stops the running command between two objects. */
  cancel(): void {
    this.controller.abort();
  }

  /**
   * Parses and runs `source`. A parse error runs nothing. Returns false when anything
   * failed. `origin` names a script file in error positions.
   */
  async run(source: string, origin?: string): Promise<boolean> {
    let script: Script;
    try {
      script = parse(source);
    } catch (err) {
      const e = asUmpinError(err);
      this.errorCount++;
      this.opts.host.error(
        renderErrorRecord(e, {
          source,
          span: parseErrorSpan(e),
          command: null,
          secrets: [],
          origin,
          language: this.language,
        }),
      );
      return false;
    }
    return this.runScript(script, source, origin);
  }

  async runScript(script: Script, source: string, origin?: string): Promise<boolean> {
    this.controller = new AbortController();
    const state: RunState = { source, origin, signal: this.controller.signal };
    const errorsBefore = this.errorCount;
    for (const st of script.statements) {
      if (state.signal.aborted) break;
      try {
        const out = await this.statement(st, state);
        if (out.length > 0)
          this.opts.host.out(
            formatOutput(out, (t) => (t ? this.views.get(t) : undefined), { width: this.opts.host.width }),
          );
      } catch (err) {
        if (!(err instanceof StatementStopped)) this.report(asUmpinError(err), state, null, null, []);
        if (err instanceof StatementStopped && (err.how === 'script' || err.how === 'exit')) break;
      }
    }
    return this.errorCount === errorsBefore;
  }

  private report(
    err: UmpinError,
    state: RunState,
    span: Span | null,
    command: string | null,
    secrets: readonly Span[],
  ): void {
    this.errorCount++;
    this.opts.host.error(
      renderErrorRecord(err, {
        source: state.source,
        span,
        command,
        secrets,
        origin: state.origin,
        language: this.language,
      }),
    );
  }

  private async statements(list: readonly Statement[], state: RunState): Promise<unknown[]> {
    const out: unknown[] = [];
    for (const st of list) out.push(...(await this.statement(st, state)));
    return out;
  }

  private async statement(st: Statement, state: RunState): Promise<unknown[]> {
    switch (st.kind) {
      case 'assignment':
        this.variables.set(st.variable.toLowerCase(), single(await this.pipeline(st.value, state)));
        return [];
      case 'foreach': {
        const out: unknown[] = [];
        const items = await this.pipeline(st.collection, state);
        for (const item of items) {
          if (state.signal.aborted) break;
          this.variables.set(st.variable.toLowerCase(), item);
          out.push(...(await this.statements(st.body, state)));
        }
        return out;
      }
      case 'pipeline':
        return this.pipeline(st, state);
    }
  }

  private async pipeline(p: Pipeline, state: RunState): Promise<unknown[]> {
    let current: unknown[] | null = null;
    for (const el of p.elements) {
      if (el.kind === 'expression') current = enumerate(await this.evaluate(el.expression, state, false));
      else current = await this.command(el, current, state);
    }
    return current ?? [];
  }

  private find(call: CommandCall): ShellCommand {
    const c = this.byName.get(call.name.toLowerCase());
    if (c) return c;
    const suggestion = closest(
      call.name,
      this.opts.commands.map((x) => x.definition.name),
    );
    throw new UmpinError({ code: 'UMPIN_SHELL_UNKNOWN_COMMAND', params: { name: call.name, suggestion } });
  }

  private async command(call: CommandCall, input: unknown[] | null, state: RunState): Promise<unknown[]> {
    let bound: BoundCommand | null = null;
    let name = call.name;
    try {
      // `exit` ends a script, as in PowerShell; `exit 1` also makes the shell's exit code 1
      if (call.name.toLowerCase() === 'exit' && input === null) {
        const code =
          call.args[0]?.kind === 'argument' ? Number(toText(await this.evaluate(call.args[0].value, state, false))) : 0;
        if (code !== 0) this.errorCount++;
        throw new StatementStopped('exit');
      }
      const cmd = this.find(call);
      name = cmd.definition.name;
      // `Get-UMMailboxPIN -?` is Get-Help, as in PowerShell
      if (call.args.length === 1 && call.args[0]!.kind === 'parameter' && call.args[0]!.name === '?') {
        return this.command(
          {
            ...call,
            name: 'Get-Help',
            args: [
              {
                kind: 'argument',
                value: { kind: 'string', value: name, quote: 'bare', span: call.nameSpan },
                span: call.nameSpan,
              },
            ],
          },
          null,
          state,
        );
      }
      bound = await bindArguments(cmd.definition as CmdletDefinition, call.args, (e) => this.evaluate(e, state, true));
      if (bound.common.warningAction !== 'SilentlyContinue' && bound.common.warningAction !== 'Ignore') {
        for (const w of bound.warnings) this.opts.host.warn(`${name}: ${w}`);
      }
      if (cmd.kind === 'builtin') {
        const ctx = this.builtinContext(state, name);
        return await cmd.definition.run(ctx, bound.params, input);
      }
      return await this.exchange(cmd.definition, call, bound, input, state);
    } catch (err) {
      if (err instanceof StatementStopped) throw err;
      const e = asUmpinError(err);
      if (bound?.common.errorAction === 'SilentlyContinue' || bound?.common.errorAction === 'Ignore')
        throw new StatementStopped('silent');
      this.report(e, state, call.span, name, bound?.secretSpans ?? []);
      throw new StatementStopped(bound?.common.errorAction === 'Stop' ? 'script' : 'reported');
    }
  }

  /** Runs an Exchange cmdlet once per piped object, with progress, confirmation and per-object errors. */
  private async exchange(
    def: CmdletDefinition,
    call: CommandCall,
    bound: BoundCommand,
    input: unknown[] | null,
    state: RunState,
  ): Promise<unknown[]> {
    const out: unknown[] = [];
    const host = this.opts.host;
    const { common } = bound;
    let yesToAll = false;
    let noToAll = false;
    const mustAsk = common.confirm === true || (common.confirm === undefined && def.confirmImpact === 'high');
    const ctx: CmdletContext = {
      ops: this.opts.ops,
      language: this.language,
      emit: (v) => out.push(v),
      warn: (m) => {
        if (common.warningAction !== 'SilentlyContinue' && common.warningAction !== 'Ignore') host.warn(m);
      },
      shouldProcess: async (target, action) => {
        if (common.whatIf) {
          host.out(`What if: Performing the operation "${action}" on target "${target}".`);
          return false;
        }
        if (!mustAsk || yesToAll) return true;
        if (noToAll) return false;
        const answer = await host.confirm(
          `Confirm\nAre you sure you want to perform this action?\nPerforming the operation "${action}" on target "${target}".`,
        );
        if (answer === null)
          throw new UmpinError({ code: 'UMPIN_SHELL_CONFIRMATION_REQUIRED', params: { cmdlet: def.name } });
        if (answer === 'all') yesToAll = true;
        if (answer === 'none') noToAll = true;
        return answer === 'yes' || answer === 'all';
      },
      signal: state.signal,
    };
    if (input !== null && !takesPipelineInput(def) && input.length > 0) {
      throw new UmpinError({
        code: 'UMPIN_SHELL_ARGUMENT_INVALID',
        field: 'InputObject',
        params: { cmdlet: def.name, field: 'InputObject', rule: 'it takes no pipeline input' },
      });
    }
    const items = input === null ? [undefined] : input;
    const progress = new Progress(host, def.name, items.length);
    let failed = 0;
    for (const item of items) {
      if (state.signal.aborted) {
        progress.finish();
        throw new UmpinError({ code: 'UMPIN_SHELL_CANCELLED', params: { done: progress.count, total: items.length } });
      }
      try {
        const params = input === null ? bound.params : bindPipelineObject(def, bound.params, item);
        checkMandatory(def, params);
        await def.process(ctx, params);
      } catch (err) {
        const e = asUmpinError(err);
        if (common.errorAction === 'Stop') {
          progress.finish();
          throw e;
        }
        failed++;
        if (common.errorAction !== 'SilentlyContinue' && common.errorAction !== 'Ignore')
          this.report(e, state, call.span, def.name, bound.secretSpans);
      }
      progress.tick();
    }
    progress.finish();
    if (
      failed > 0 &&
      items.length > 1 &&
      common.errorAction !== 'SilentlyContinue' &&
      common.errorAction !== 'Ignore'
    ) {
      host.warn(`${def.name}: ${failed} of ${items.length} objects failed.`);
    }
    return out;
  }

  private builtinContext(state: RunState, name: string): BuiltinContext {
    return {
      host: this.opts.host,
      signal: state.signal,
      cwd: this.cwd,
      commands: this.opts.commands,
      view: (t) => (t ? this.views.get(t) : undefined),
      warn: (m) => this.opts.host.warn(`${name}: ${m}`),
      invoke: (block, item) => this.invokeBlock(block, item, state),
    };
  }

  private async invokeBlock(block: ScriptBlock, item: unknown, state: RunState): Promise<unknown[]> {
    const saved = [this.variables.get('_'), this.variables.get('psitem')];
    this.variables.set('_', item);
    this.variables.set('psitem', item);
    try {
      return await this.statements(block.ast.statements, state);
    } finally {
      this.variables.set('_', saved[0]);
      this.variables.set('psitem', saved[1]);
    }
  }

  private variable(name: string): unknown {
    const lower = name.toLowerCase();
    if (lower.startsWith('env:')) return this.env[name.slice(4)] ?? this.env[name.slice(4).toUpperCase()] ?? null;
    if (lower === 'pwd') return this.cwd;
    return this.variables.has(lower) ? this.variables.get(lower) : null;
  }

  /** `argumentMode`: numbers keep their typed text, for binding to string parameters. */
  async evaluate(e: Expression, state: RunState, argumentMode: boolean): Promise<unknown> {
    switch (e.kind) {
      case 'string':
        return e.value;
      case 'expandable': {
        let s = '';
        for (const part of e.parts)
          s += typeof part === 'string' ? part : toText(await this.evaluate(part, state, false));
        return s;
      }
      case 'number':
        return argumentMode ? new ArgNumber(e.value, e.text) : e.value;
      case 'constant':
        return e.value;
      case 'variable':
        return this.variable(e.name);
      case 'member': {
        const target = await this.evaluate(e.target, state, false);
        const v = getProperty(target, e.member);
        return v === undefined ? null : v;
      }
      case 'array': {
        const items: unknown[] = [];
        for (const item of e.items) items.push(await this.evaluate(item, state, argumentMode));
        return items;
      }
      case 'subexpression': {
        const out = await this.statements(e.statements, state);
        return e.array ? out : single(out);
      }
      case 'paren':
        return single(await this.pipeline(e.pipeline, state));
      case 'hashtable': {
        const h = new Hashtable();
        for (const entry of e.entries) h.set(entry.key, await this.evaluate(entry.value, state, argumentMode));
        return h;
      }
      case 'scriptblock':
        return new ScriptBlock(e);
      case 'unary':
        return !isTrue(await this.evaluate(e.operand, state, false));
      case 'binary': {
        if (e.operator === 'and')
          return (
            isTrue(await this.evaluate(e.left, state, false)) && isTrue(await this.evaluate(e.right, state, false))
          );
        if (e.operator === 'or')
          return (
            isTrue(await this.evaluate(e.left, state, false)) || isTrue(await this.evaluate(e.right, state, false))
          );
        const left = await this.evaluate(e.left, state, false);
        const right = await this.evaluate(e.right, state, false);
        if (e.operator === '+') return add(left, right);
        try {
          return compare(e.operator as Comparison, left, right, e.caseSensitive);
        } catch (err) {
          throw new UmpinError({ code: 'UMPIN_SHELL_RUNTIME_ERROR', params: { rule: (err as Error).message } });
        }
      }
    }
  }
}

/** A parse error points at its offset, like any other error. */
function parseErrorSpan(e: UmpinError): Span | null {
  const offset = e.params.offset;
  return typeof offset === 'number' ? { start: offset, end: offset + 1 } : null;
}

function add(left: unknown, right: unknown): unknown {
  if (Array.isArray(left)) return [...left, ...(Array.isArray(right) ? right : [right])];
  if (typeof left === 'number' && (typeof right === 'number' || typeof right === 'boolean'))
    return left + Number(right);
  if (typeof left === 'number' && typeof right === 'string' && right.trim() !== '' && !Number.isNaN(Number(right)))
    return left + Number(right);
  if (typeof left === 'number')
    throw new UmpinError({
      code: 'UMPIN_SHELL_RUNTIME_ERROR',
      params: { rule: `Cannot add ${toText(right)} to a number` },
    });
  if (left === null || left === undefined) return right;
  if (left instanceof Hashtable)
    throw new UmpinError({
      code: 'UMPIN_SHELL_RUNTIME_ERROR',
      params: { rule: "Adding hashtables is not supported by umpin's shell" },
    });
  return toText(left) + toText(right);
}
