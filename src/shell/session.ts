/**
 * The shell's runtime: runs a parsed script statement by statement, pipelines object by
 * object, binds parameters, asks before changes, and reports errors the way PowerShell
 * does. A non-terminating error (one object of a cmdlet failed) is reported and the
 * pipeline goes on; a statement-terminating one (a command could not run) stops its
 * statement and the script goes on; a script-terminating one (`throw`, -ErrorAction Stop,
 * $ErrorActionPreference = 'Stop') stops the script. `try`/`catch` catches the last two.
 * The session remembers that something failed, for the exit code.
 */
import { dirname, resolve } from 'node:path';
import { renderError, UmpinError, type ErrorLanguage } from '../domain/errors.js';
import type {
  Assignment,
  CmdletBinding,
  CommandArgument,
  CommandCall,
  Expression,
  FunctionDefinition,
  ParamDeclaration,
  Pipeline,
  Script,
  Span,
  SplatArgument,
  Statement,
  SwitchStatement,
  Validation,
} from './ast.js';
import {
  bindArguments,
  bindPipelineObject,
  checkMandatory,
  closest,
  takesPipelineInput,
  type BoundCommand,
  type ErrorActionPreference,
} from './binder.js';
import type { BuiltinContext, ShellCommand } from './builtin.js';
import type { CmdletContext, CmdletDefinition, View } from './cmdlet.js';
import { languageFromLocaleEnv } from './culture.js';
import { asUmpinError, CATEGORY, renderErrorRecord } from './error-record.js';
import { writeTextFile } from './cmdlets/core/file-path.js';
import { formatOutput } from './format.js';
import type { Host } from './host.js';
import type { ShellOperations } from './operations.js';
import {
  arithmetic,
  callMethod,
  cast,
  format,
  index,
  join,
  matchOf,
  member,
  range,
  replace,
  runtimeError,
  setIndex,
  setMember,
  shortText,
  split,
  toNumber,
} from './operators.js';
import { parse } from './parser.js';
import { Progress } from './progress.js';
import { psObject } from './ps-object.js';
import { ScriptCmdlet, switchValue } from './script-cmdlet.js';
import { staticMember } from './static-members.js';
import { convertAs, isOfType } from './type-operators.js';
import {
  ArgNumber,
  compare,
  ERROR_RECORD_TYPE,
  Hashtable,
  isTrue,
  plain,
  ScriptBlock,
  SecureString,
  toText,
  type Comparison,
} from './values.js';

export interface SessionOptions {
  ops: ShellOperations;
  host: Host;
  commands: readonly ShellCommand[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** the language of error messages; default: the culture of `env` (LC_ALL, LC_MESSAGES, LANG) */
  language?: ErrorLanguage;
  /** the most steps (statements run and loop passes) one run may take; default MAX_STEPS */
  maxSteps?: number;
}

/**
 * A run's step budget: a loop that never ends (`while ($true) { }`) stops with a positioned
 * error instead of holding the shell, and the process, forever. Generous enough for a script
 * that walks a million mailboxes with a few statements each.
 */
export const MAX_STEPS = 20_000_000;

/** how often a run yields to the event loop, so that Ctrl-C is heard even in a loop that calls nothing */
const YIELD_EVERY = 10_000;

/** `break`, `continue`, `return`, `exit`: unwind to the loop, function or script that takes them. */
class ControlFlow extends Error {}
/** `break`/`continue`, with the label of the loop they name (`break outer`), if any */
class LoopSignal extends ControlFlow {
  constructor(readonly label: string | undefined) {
    super('loop');
  }

  /** whether the loop labelled `label` (or unlabelled) takes this signal */
  for(label: string | undefined): boolean {
    return this.label === undefined || this.label.toLowerCase() === label?.toLowerCase();
  }
}
class BreakSignal extends LoopSignal {}
class ContinueSignal extends LoopSignal {}
class ReturnSignal extends ControlFlow {
  constructor(readonly values: unknown[]) {
    super('return');
  }
}
class ExitSignal extends ControlFlow {
  constructor(readonly code: number) {
    super('exit');
  }
}

interface Place {
  span: Span | null;
  command: string | null;
  secrets: readonly Span[];
}

/** A terminating error on its way to a `catch`, or to the statement or script it stops. */
class ScriptFault extends Error {
  constructor(
    readonly error: UmpinError,
    readonly place: Place,
    /** stops the script (throw, -ErrorAction Stop), not only its statement */
    readonly stopsScript: boolean,
    /** no `catch` takes it: the step budget is spent */
    readonly uncatchable = false,
  ) {
    super(error.message);
  }
}

interface RunState {
  source: string;
  origin: string | undefined;
  signal: AbortSignal;
}

type Sink = (values: unknown[]) => void;

/** the most error records $Error keeps */
const MAX_ERROR_RECORDS = 256;

const ACTIONS: readonly ErrorActionPreference[] = ['Stop', 'Continue', 'SilentlyContinue', 'Ignore', 'Inquire'];

/** what `catch [Type]` catches, by the last part of the type's name */
const CATCHES: Record<string, (e: UmpinError) => boolean> = {
  exception: () => true,
  runtimeexception: () => true,
  argumentexception: (e) => e.category === 'invalid',
  parameterbindingexception: (e) => e.code.startsWith('UMPIN_SHELL_') && e.category === 'invalid',
  itemnotfoundexception: (e) => e.category === 'not-found' || e.code === 'UMPIN_SHELL_FILE_ERROR',
  managementobjectnotfoundexception: (e) => e.category === 'not-found' && e.code !== 'UMPIN_SHELL_UNKNOWN_COMMAND',
  commandnotfoundexception: (e) => e.code === 'UMPIN_SHELL_UNKNOWN_COMMAND',
  unauthorizedaccessexception: (e) => e.category === 'denied' || e.category === 'unauthenticated',
  invalidoperationexception: (e) => e.category === 'conflict',
  ioexception: (e) => e.code === 'UMPIN_SHELL_FILE_ERROR',
  filenotfoundexception: (e) => e.code === 'UMPIN_SHELL_FILE_ERROR',
};

function single(values: unknown[]): unknown {
  return values.length === 0 ? null : values.length === 1 ? values[0] : values;
}

/** What flows into a pipeline from a value: arrays are enumerated, $null sends nothing. */
function enumerate(value: unknown): unknown[] {
  if (value === null || value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** the statement's whole-expression form: `$x`, `1,2`, `@()`, whose value is assigned as it is */
function soleExpression(p: Pipeline): Expression | null {
  const only = p.elements[0];
  return p.elements.length === 1 && only!.kind === 'expression' && !p.redirections ? only!.expression : null;
}

export class Session {
  /** variable scopes: the script's first, one more per running function */
  private readonly scopes: Array<Map<string, unknown>> = [new Map()];
  /** the type each typed variable (`[int]$x = 5`, typed parameters) keeps, per scope as `scopes` */
  private readonly types: Array<Map<string, string>> = [new Map()];
  private readonly functions = new Map<string, FunctionDefinition>();
  private readonly byName = new Map<string, ShellCommand>();
  private readonly views = new Map<string, View>();
  private readonly cwd: string;
  private readonly env: NodeJS.ProcessEnv;
  /** the session's culture, in which errors are worded */
  readonly language: ErrorLanguage;
  private controller = new AbortController();
  /** errors reported so far (those sent elsewhere with 2>, or caught, do not count) */
  private errorCount = 0;
  /** errors of any kind so far, silenced and redirected ones too: $? looks at these */
  private errorEvents = 0;
  /** $? */
  private lastOk = true;
  /** $Error, newest first */
  private readonly errorRecords: unknown[] = [];
  /** how many `try` blocks are running: inside one, statement-terminating errors go to its catch */
  private tryDepth = 0;
  /** `2>&1`, `2>$null`, `2> file`: where error records go instead of the terminal */
  private errorSink: ((text: string) => void) | null = null;
  /** output waiting to be formatted: objects printed together share one table */
  private pending: unknown[] = [];
  /** the host as the runtime and the commands use it: printed output first, so lines stay in order */
  private readonly h: Host;
  /** values bound to -Pin in this session, masked in the messages a script makes itself */
  private readonly secrets = new Set<string>();
  /** set by `exit N` */
  exitCode: number | null = null;
  /** steps taken by the current run, against opts.maxSteps */
  private steps = 0;
  /** the fault of the current run's spent step budget */
  private exhausted: ScriptFault | null = null;

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
    const host = opts.host;
    // every write to the terminal first prints the output waiting before it
    const first =
      <A extends unknown[], R>(write: (...args: A) => R) =>
      (...args: A): R => {
        this.flush();
        return write(...args);
      };
    const readLine = host.readLine?.bind(host);
    this.h = {
      out: first((t: string) => host.out(t)),
      error: first((t: string) => host.error(t)),
      warn: first((t: string) => host.warn(t)),
      info: first((t: string, c?: string) => host.info(t, c)),
      progress: first((l: string | null) => host.progress(l)),
      confirm: first((q: string) => host.confirm(q)),
      ...(readLine ? { readLine: first(readLine) } : {}),
      get width() {
        return host.width;
      },
    };
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

  private flush(): void {
    if (this.pending.length === 0) return;
    const out = this.pending;
    this.pending = [];
    this.opts.host.out(formatOutput(out, (t) => (t ? this.views.get(t) : undefined), { width: this.opts.host.width }));
  }

  /**
   * Parses the whole of `source`, then runs it: a parse error anywhere runs nothing.
   * Returns false when anything failed. `origin` names a script file in error positions;
   * `args` are the script's own arguments (`-Name value`), bound to its `param(...)`.
   */
  async run(source: string, origin?: string, args: readonly string[] = []): Promise<boolean> {
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
    return this.runScript(script, source, origin, args);
  }

  async runScript(script: Script, source: string, origin?: string, args: readonly string[] = []): Promise<boolean> {
    this.controller = new AbortController();
    this.steps = 0;
    this.exhausted = null;
    const state: RunState = { source, origin, signal: this.controller.signal };
    const errorsBefore = this.errorCount;
    if (origin !== undefined && origin !== 'stdin')
      this.scopes[0]!.set('psscriptroot', resolve(this.cwd, dirname(origin)));
    const top: Sink = (values) => this.pending.push(...values);
    try {
      if (script.params.length > 0 || args.length > 0 || script.binding) {
        const owner = origin ?? 'the script';
        const bound = bindScriptArguments(
          [...script.params, ...commonDeclarations(script.binding, script.params)],
          commandLineArguments(args),
          owner,
        );
        // `-Users tonysmith,kimakers` on the command line is a list for a list parameter
        for (const p of script.params) {
          const v = bound.values.get(p.name.toLowerCase());
          if (p.type?.endsWith('[]') && typeof v === 'string') bound.values.set(p.name.toLowerCase(), v.split(','));
        }
        await this.declare(script.params, bound, state, script.binding);
      }
      for (const st of script.statements) {
        if (state.signal.aborted) break;
        await this.step(st.span);
        await this.guarded(st, state, top);
        // each statement's output is formatted on its own, as PowerShell does at the prompt
        this.flush();
      }
    } catch (err) {
      if (err instanceof ExitSignal) {
        this.exitCode = err.code;
        this.scopes[0]!.set('lastexitcode', err.code);
      } else if (err instanceof ScriptFault) {
        this.reportFault(err, state);
      } else if (!(err instanceof ControlFlow)) {
        this.report(asUmpinError(err), state, { span: null, command: null, secrets: [] });
      }
    } finally {
      this.flush();
    }
    return this.errorCount === errorsBefore;
  }

  private report(err: UmpinError, state: RunState, place: Place): void {
    // an error redirected by the script (2>$null, 2>&1, 2> file) is handled, not a failure of the run
    if (!this.errorSink) this.errorCount++;
    this.silentError(err);
    const text = renderErrorRecord(err, {
      source: state.source,
      span: place.span,
      command: place.command,
      secrets: place.secrets,
      origin: state.origin,
      language: this.language,
    });
    if (this.errorSink) this.errorSink(text);
    else this.h.error(text);
  }

  /** an error that $? and $Error see, reported or not */
  private silentError(err: UmpinError): void {
    this.errorEvents++;
    this.lastOk = false;
    this.errorRecords.unshift(this.errorRecord(err));
    if (this.errorRecords.length > MAX_ERROR_RECORDS) this.errorRecords.pop();
  }

  private reportFault(f: ScriptFault, state: RunState): void {
    this.report(f.error, state, f.place);
  }

  /** the error record a `catch` block sees as $_ (and $Error holds) */
  private errorRecord(err: UmpinError): unknown {
    return psObject(ERROR_RECORD_TYPE, {
      Exception: psObject('System.Exception', { Message: renderError(err, this.language) }),
      CategoryInfo: psObject('System.Management.Automation.ErrorCategoryInfo', {
        Category: CATEGORY[err.category],
        Reason: 'UmpinError',
        TargetName: err.field ?? '',
      }),
      FullyQualifiedErrorId: err.code,
      TargetObject: err.field ?? null,
    });
  }

  // ---------------------------------------------------------------- statements

  private async block(list: readonly Statement[], state: RunState, sink: Sink): Promise<void> {
    for (const st of list) {
      if (state.signal.aborted)
        throw new ScriptFault(new UmpinError({ code: 'UMPIN_SHELL_CANCELLED', params: { done: 0 } }), noPlace(), true);
      await this.step(st.span);
      await this.guarded(st, state, sink);
    }
  }

  /** one step of the run's budget (a statement, a loop pass); now and then a pause for the event loop */
  private async step(span: Span): Promise<void> {
    this.steps++;
    const limit = this.opts.maxSteps ?? MAX_STEPS;
    // once spent, every later step (a finally block's too) throws the first fault, which points at the loop
    if (this.steps > limit) {
      this.exhausted ??= new ScriptFault(
        new UmpinError({ code: 'UMPIN_SHELL_STEP_LIMIT', params: { limit } }),
        { span, command: null, secrets: [] },
        true,
        true,
      );
      throw this.exhausted;
    }
    if (this.steps % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
  }

  /** Runs one statement; a statement-terminating error is reported here, outside a try. */
  private async guarded(st: Statement, state: RunState, sink: Sink): Promise<void> {
    const before = this.errorEvents;
    try {
      await this.statement(st, state, sink);
      if (st.kind === 'pipeline' || st.kind === 'assignment') this.lastOk = this.errorEvents === before;
    } catch (err) {
      if (err instanceof ControlFlow) throw err;
      const fault =
        err instanceof ScriptFault
          ? err
          : new ScriptFault(asUmpinError(err), { span: st.span, command: null, secrets: [] }, false);
      if (fault.stopsScript || this.tryDepth > 0) throw fault;
      this.reportFault(fault, state);
    }
  }

  private async statement(st: Statement, state: RunState, sink: Sink): Promise<void> {
    switch (st.kind) {
      case 'assignment':
        return this.assignment(st, state);
      case 'pipeline': {
        const only = soleExpression(st);
        if (only?.kind === 'increment') {
          await this.evaluate(only, state, false);
          return;
        }
        sink(await this.pipeline(st, state));
        return;
      }
      case 'foreach': {
        const items = enumerate(single(await this.pipeline(st.collection, state)));
        for (const item of items) {
          this.checkCancel(state);
          await this.step(st.span);
          this.setVariable(st.variable, item);
          if (!(await this.loopBody(st.body, state, sink, st.label))) break;
        }
        return;
      }
      case 'for': {
        if (st.init) await this.statement(st.init, state, () => {});
        for (;;) {
          this.checkCancel(state);
          await this.step(st.span);
          if (st.condition && !isTrue(single(await this.pipeline(st.condition, state)))) break;
          if (!(await this.loopBody(st.body, state, sink, st.label))) break;
          if (st.step) await this.statement(st.step, state, () => {});
        }
        return;
      }
      case 'while':
        for (;;) {
          this.checkCancel(state);
          await this.step(st.span);
          if (!isTrue(single(await this.pipeline(st.condition, state)))) break;
          if (!(await this.loopBody(st.body, state, sink, st.label))) break;
        }
        return;
      case 'do':
        for (;;) {
          this.checkCancel(state);
          await this.step(st.span);
          if (!(await this.loopBody(st.body, state, sink, st.label))) break;
          const c = isTrue(single(await this.pipeline(st.condition, state)));
          if (st.until ? c : !c) break;
        }
        return;
      case 'if': {
        for (const clause of st.clauses) {
          if (isTrue(single(await this.pipeline(clause.condition, state)))) {
            await this.block(clause.body, state, sink);
            return;
          }
        }
        if (st.elseBody) await this.block(st.elseBody, state, sink);
        return;
      }
      case 'switch':
        return this.switchStatement(st, state, sink);
      case 'try':
        return this.tryStatement(st, state, sink);
      case 'function':
        this.functions.set(st.name.toLowerCase(), st);
        return;
      case 'flow':
        return this.flow(st, state);
    }
  }

  private checkCancel(state: RunState): void {
    if (state.signal.aborted)
      throw new ScriptFault(new UmpinError({ code: 'UMPIN_SHELL_CANCELLED', params: { done: 0 } }), noPlace(), true);
  }

  /** one pass of a loop's body; false when `break` ended the loop */
  private async loopBody(
    body: readonly Statement[],
    state: RunState,
    sink: Sink,
    label: string | undefined,
  ): Promise<boolean> {
    try {
      await this.block(body, state, sink);
    } catch (err) {
      // `break outer` passes through the inner loops to the one labelled outer
      if (err instanceof BreakSignal && err.for(label)) return false;
      if (err instanceof ContinueSignal && err.for(label)) return true;
      throw err;
    }
    return true;
  }

  private async flow(st: Extract<Statement, { kind: 'flow' }>, state: RunState): Promise<never> {
    switch (st.flow) {
      case 'break':
        throw new BreakSignal(st.label);
      case 'continue':
        throw new ContinueSignal(st.label);
      case 'return':
        throw new ReturnSignal(st.value ? await this.pipeline(st.value, state) : []);
      case 'exit': {
        const v = st.value ? single(await this.pipeline(st.value, state)) : 0;
        const code = Math.trunc(toNumber(v, 'an exit code'));
        throw new ExitSignal(code);
      }
      case 'throw': {
        const v = st.value ? single(await this.pipeline(st.value, state)) : this.variable('_');
        const place: Place = { span: st.span, command: null, secrets: [] };
        const original = v !== null && typeof v === 'object' ? this.faults.get(v) : undefined;
        if (original) throw new ScriptFault(original.error, original.place, true);
        const message = v === null ? 'ScriptHalted' : this.masked(toText(v));
        throw new ScriptFault(new UmpinError({ code: 'UMPIN_SHELL_SCRIPT_ERROR', params: { message } }), place, true);
      }
    }
  }

  /** the error record of each caught fault, so that `throw $_` throws it again */
  private readonly faults = new WeakMap<object, ScriptFault>();

  /** a script's own text for an error message, with the values bound to -Pin (and $pin variables) hidden */
  private masked(text: string): string {
    let out = text;
    const secrets = new Set(this.secrets);
    for (const scope of this.scopes)
      for (const [name, value] of scope)
        if (/pin/i.test(name) && (typeof value === 'string' || typeof value === 'number' || value instanceof ArgNumber))
          secrets.add(toText(value));
    for (const s of secrets) if (s.length >= 4) out = out.split(s).join('*'.repeat(8));
    return out;
  }

  private async tryStatement(st: Extract<Statement, { kind: 'try' }>, state: RunState, sink: Sink): Promise<void> {
    let rethrow: unknown = null;
    try {
      this.tryDepth++;
      try {
        await this.block(st.body, state, sink);
      } finally {
        this.tryDepth--;
      }
    } catch (err) {
      rethrow = err;
      if (err instanceof ScriptFault && !err.uncatchable) {
        const handler = st.catches.find(
          (c) => c.types.length === 0 || c.types.some((t) => CATCHES[t.split('.').pop()!]?.(err.error)),
        );
        if (handler) {
          rethrow = null;
          const record = this.errorRecord(err.error);
          this.faults.set(record as object, err);
          this.errorEvents++;
          this.errorRecords.unshift(record);
          const saved = [this.variable('_'), this.variable('psitem')];
          this.setVariable('_', record);
          this.setVariable('psitem', record);
          try {
            await this.block(handler.body, state, sink);
          } catch (inner) {
            rethrow = inner;
          } finally {
            this.setVariable('_', saved[0]);
            this.setVariable('psitem', saved[1]);
          }
        }
      }
    }
    if (st.finallyBody) await this.block(st.finallyBody, state, sink);
    if (rethrow !== null) throw rethrow;
  }

  private async switchStatement(st: SwitchStatement, state: RunState, sink: Sink): Promise<void> {
    const subject = soleExpression(st.subject);
    let values = subject
      ? enumerate(await this.evaluate(subject, state, false))
      : await this.pipeline(st.subject, state);
    if (values.length === 0 && subject) values = [null];
    const saved = this.variable('_');
    try {
      outer: for (const item of values) {
        await this.step(st.span);
        this.setVariable('_', item);
        let matched = false;
        for (const clause of st.clauses) {
          if (clause.pattern === null || !(await this.switchMatches(st, clause.pattern, item, state))) continue;
          matched = true;
          try {
            await this.block(clause.body, state, sink);
          } catch (err) {
            if (err instanceof BreakSignal && err.for(st.label)) break outer;
            if (err instanceof ContinueSignal && err.for(st.label)) continue outer;
            throw err;
          }
        }
        const fallback = st.clauses.find((c) => c.pattern === null);
        if (!matched && fallback) {
          try {
            await this.block(fallback.body, state, sink);
          } catch (err) {
            if (err instanceof BreakSignal && err.for(st.label)) break;
            if (err instanceof ContinueSignal && err.for(st.label)) continue;
            throw err;
          }
        }
      }
    } finally {
      this.setVariable('_', saved);
    }
  }

  private async switchMatches(
    st: SwitchStatement,
    pattern: Expression,
    item: unknown,
    state: RunState,
  ): Promise<boolean> {
    if (pattern.kind === 'scriptblock') {
      const out: unknown[] = [];
      await this.block(pattern.statements, state, (v) => out.push(...v));
      return isTrue(single(out));
    }
    const value = plain(await this.evaluate(pattern, state, false));
    const cs = st.caseSensitive;
    if (st.mode === 'regex') {
      const m = matchOf(item, value, cs);
      if (m) this.setVariable('matches', m);
      return m !== null;
    }
    if (st.mode === 'wildcard') return compare('like', toText(item), value, cs) === true;
    return compare('eq', item, value, cs) === true;
  }

  private async assignment(st: Assignment, state: RunState): Promise<void> {
    let value: unknown;
    if (st.value.kind === 'pipeline') {
      const only = soleExpression(st.value);
      value = only ? plain(await this.evaluate(only, state, false)) : single(await this.pipeline(st.value, state));
    } else {
      const out: unknown[] = [];
      await this.statement(st.value, state, (v) => out.push(...v));
      value = single(out);
    }
    if (st.operator !== '=') {
      const current = await this.evaluate(st.target, state, false);
      const op = st.operator[0] as '+' | '-' | '*' | '/' | '%';
      value = op === '+' ? add(current, value) : arithmetic(op, current, value);
    }
    if (st.type !== undefined && st.target.kind === 'variable') {
      const { scope, key } = this.scopeOf(st.target.name);
      const types = scope ? this.types[this.scopes.indexOf(scope)]! : this.types[this.types.length - 1]!;
      value = convertVariable(st.target.name, st.type, value);
      if (st.type === 'object') types.delete(key);
      else types.set(key, st.type);
    }
    await this.assignTo(st.target, value, state);
  }

  private async assignTo(target: Assignment['target'], value: unknown, state: RunState): Promise<void> {
    if (target.kind === 'variable') {
      if (target.name.toLowerCase() === 'null') return;
      if (target.name.toLowerCase().startsWith('env:'))
        throw runtimeError("Setting environment variables ($env:NAME = ...) is not supported by umpin's shell");
      this.setVariable(target.name, value);
      return;
    }
    const owner = await this.evaluate(target.target, state, false);
    if (target.kind === 'index') setIndex(owner, plain(await this.evaluate(target.index, state, false)), value);
    else setMember(owner, target.member, value);
  }

  // ---------------------------------------------------------------- variables and parameters

  private scopeOf(name: string): { scope: Map<string, unknown> | null; key: string } {
    const lower = name.toLowerCase();
    const colon = lower.indexOf(':');
    const prefix = colon > 0 ? lower.slice(0, colon) : '';
    if (prefix === 'script' || prefix === 'global') return { scope: this.scopes[0]!, key: lower.slice(colon + 1) };
    if (prefix === 'local') return { scope: this.scopes[this.scopes.length - 1]!, key: lower.slice(colon + 1) };
    return { scope: null, key: lower };
  }

  private setVariable(name: string, value: unknown): void {
    const { scope, key } = this.scopeOf(name);
    const target = scope ?? this.scopes[this.scopes.length - 1]!;
    // a typed variable converts every value assigned to it, as PowerShell's type constraint does
    const type = this.types[this.scopes.indexOf(target)]?.get(key);
    target.set(key, type === undefined ? value : convertVariable(name, type, value));
  }

  /** `[int]$x`: later assignments to $x in this scope convert to the type */
  private constrain(name: string, type: string): void {
    const { scope, key } = this.scopeOf(name);
    const target = scope ?? this.scopes[this.scopes.length - 1]!;
    this.types[this.scopes.indexOf(target)]!.set(key, type);
  }

  private variable(name: string): unknown {
    const lower = name.toLowerCase();
    if (lower.startsWith('env:')) return this.env[name.slice(4)] ?? this.env[name.slice(4).toUpperCase()] ?? null;
    if (lower === 'pwd') return this.cwd;
    if (lower === '?') return this.lastOk;
    if (lower === 'error') return this.errorRecords;
    const { scope, key } = this.scopeOf(name);
    if (scope) return scope.has(key) ? scope.get(key) : null;
    for (let i = this.scopes.length - 1; i >= 0; i--) if (this.scopes[i]!.has(key)) return this.scopes[i]!.get(key);
    if (key === 'erroractionpreference') return 'Continue';
    if (key === 'verbosepreference') return 'SilentlyContinue';
    if (key === 'psscriptroot') return this.cwd;
    return null;
  }

  /** $ErrorActionPreference, as the default of every command's -ErrorAction */
  private preference(): ErrorActionPreference {
    const v = toText(this.variable('ErrorActionPreference')).toLowerCase();
    return ACTIONS.find((a) => a.toLowerCase() === v) ?? 'Continue';
  }

  /** Sets the declared parameters in the current scope: bound values converted, else defaults. */
  private async declare(
    params: readonly ParamDeclaration[],
    bound: BoundScriptArguments,
    state: RunState,
    binding?: CmdletBinding,
  ): Promise<void> {
    if (binding) this.bindCommon(bound, binding);
    for (const p of params) {
      let value: unknown;
      if (bound.values.has(p.name.toLowerCase())) {
        value = bound.values.get(p.name.toLowerCase());
        if (p.type === 'switch') value = switchValue(value);
        else if (p.type) value = cast(p.type, plain(value));
        else value = plain(value);
        for (const check of p.validations ?? []) validate(check, value, p.name, bound.owner);
      } else if (p.mandatory) {
        throw new UmpinError({
          code: 'UMPIN_SHELL_PARAMETER_MISSING',
          field: p.name,
          params: { cmdlet: bound.owner, field: p.name },
        });
      } else if (p.defaultValue) {
        value = plain(await this.evaluate(p.defaultValue, state, false));
        if (p.type && p.type !== 'switch') value = cast(p.type, value);
      } else {
        value =
          p.type === 'switch' || p.type === 'bool' ? false : p.type === 'string' ? '' : p.type === 'int' ? 0 : null;
      }
      this.setVariable(p.name, value);
      if (p.type && p.type !== 'switch' && p.type !== 'object') this.constrain(p.name, p.type);
    }
    this.setVariable('args', bound.rest.map(plain));
  }

  /**
   * `-WhatIf`, `-Confirm`, `-Verbose` given to a script or function with [CmdletBinding()]: as in
   * PowerShell they set $WhatIfPreference, $ConfirmPreference and $VerbosePreference in its
   * scope, so every cmdlet (and function) it calls inherits them.
   */
  private bindCommon(bound: BoundScriptArguments, binding: CmdletBinding): void {
    this.setVariable('PSCmdlet', new ScriptCmdlet(bound.owner, binding));
    const given = (name: string) => {
      const key = name.toLowerCase();
      return bound.values.has(key) ? switchValue(bound.values.get(key)) : undefined;
    };
    const whatIf = given('WhatIf');
    const confirm = given('Confirm');
    const verbose = given('Verbose');
    if (whatIf !== undefined) this.setVariable('WhatIfPreference', whatIf);
    if (confirm !== undefined) this.setVariable('ConfirmPreference', confirm ? 'Low' : 'None');
    if (verbose !== undefined) this.setVariable('VerbosePreference', verbose ? 'Continue' : 'SilentlyContinue');
    if (bound.values.has('erroraction')) {
      const given = toText(plain(bound.values.get('erroraction')));
      const action = ACTIONS.find((a) => a.toLowerCase() === given.toLowerCase());
      if (!action)
        throw new UmpinError({
          code: 'UMPIN_SHELL_ARGUMENT_INVALID',
          field: 'ErrorAction',
          params: { cmdlet: bound.owner, field: 'ErrorAction', rule: `it takes one of ${ACTIONS.join(', ')}` },
        });
      this.setVariable('ErrorActionPreference', action);
    }
  }

  /** $WhatIfPreference and $ConfirmPreference as they apply to a cmdlet of this weight */
  private shouldProcessPreferences(impact: CmdletBinding['confirmImpact'] | undefined): {
    whatIf: boolean;
    confirm: boolean | undefined;
  } {
    const whatIf = isTrue(plain(this.variable('WhatIfPreference')));
    const preference = toText(this.variable('ConfirmPreference')).toLowerCase();
    const rank = { low: 1, medium: 2, high: 3 } as const;
    let confirm: boolean | undefined;
    if (preference === 'none') confirm = false;
    else if (preference === 'low' || preference === 'medium')
      confirm = impact !== undefined && rank[impact] >= rank[preference] ? true : undefined;
    return { whatIf, confirm };
  }

  /** `$PSCmdlet.ShouldProcess(target[, action])`: false under -WhatIf (with its "What if:" line) or when refused */
  private async shouldProcess(cmdlet: ScriptCmdlet, args: unknown[]): Promise<boolean> {
    if (args.length < 1 || args.length > 2)
      throw runtimeError(`Cannot find an overload for "ShouldProcess" with ${args.length} arguments`);
    const target = this.masked(toText(args[0]));
    const action = args.length > 1 ? this.masked(toText(args[1])) : cmdlet.name;
    const { whatIf, confirm } = this.shouldProcessPreferences(cmdlet.binding.confirmImpact);
    if (whatIf) {
      this.h.out(`What if: Performing the operation "${action}" on target "${target}".`);
      return false;
    }
    const mustAsk = confirm === true || (confirm === undefined && cmdlet.binding.confirmImpact === 'high');
    if (mustAsk && !cmdlet.yesToAll) {
      if (cmdlet.noToAll) return false;
      const answer = await this.h.confirm(
        `Confirm\nAre you sure you want to perform this action?\nPerforming the operation "${action}" on target "${target}".`,
      );
      if (answer === null)
        throw new UmpinError({ code: 'UMPIN_SHELL_CONFIRMATION_REQUIRED', params: { cmdlet: cmdlet.name } });
      if (answer === 'all') cmdlet.yesToAll = true;
      if (answer === 'none') cmdlet.noToAll = true;
      if (answer !== 'yes' && answer !== 'all') return false;
    }
    if (toText(this.variable('VerbosePreference')).toLowerCase() === 'continue')
      this.h.info(`VERBOSE: Performing the operation "${action}" on target "${target}".`, 'Yellow');
    return true;
  }

  /** values spread from `@params`, standing for the argument expressions made for them */
  private readonly splatted = new WeakMap<Expression, unknown>();

  /** an argument's value; a splatted one was taken when the splat was spread */
  private argument(e: Expression, state: RunState): Promise<unknown> | unknown {
    return this.splatted.has(e) ? this.splatted.get(e) : this.evaluate(e, state, true);
  }

  /** `@params`: a hashtable's entries become `-Key:value`, a list's items positional arguments, as in PowerShell */
  private spread(args: readonly CommandArgument[]): Array<Exclude<CommandArgument, SplatArgument>> {
    const out: Array<Exclude<CommandArgument, SplatArgument>> = [];
    for (const a of args) {
      if (a.kind !== 'splat') {
        out.push(a);
        continue;
      }
      const value = plain(this.variable(a.variable));
      const made = (v: unknown): Expression => {
        const e: Expression = { kind: 'variable', name: a.variable, span: a.span };
        this.splatted.set(e, v);
        return e;
      };
      if (value instanceof Hashtable) {
        for (const key of value.keys())
          out.push({ kind: 'parameter', name: key, value: made(value.get(key)), span: a.span });
      } else {
        for (const item of enumerate(value)) out.push({ kind: 'argument', value: made(item), span: a.span });
      }
    }
    return out;
  }

  private async callFunction(
    fn: FunctionDefinition,
    call: CommandCall,
    input: unknown[] | null,
    state: RunState,
  ): Promise<unknown[]> {
    const args: ScriptArgument[] = [];
    for (const a of this.spread(call.args)) {
      if (a.kind === 'parameter') {
        args.push({ name: a.name, value: a.value ? await this.argument(a.value, state) : undefined });
        if (a.value === null) args[args.length - 1]!.bare = true;
      } else {
        args.push({ value: await this.argument(a.value, state) });
      }
    }
    const bound = bindScriptArguments([...fn.params, ...commonDeclarations(fn.binding, fn.params)], args, fn.name);
    this.scopes.push(new Map());
    this.types.push(new Map());
    if (this.scopes.length > 100) {
      this.scopes.pop();
      this.types.pop();
      throw runtimeError(`The function ${fn.name} calls itself more than 100 levels deep`);
    }
    try {
      await this.declare(fn.params, bound, state, fn.binding);
      this.setVariable('input', input ?? []);
      const out: unknown[] = [];
      try {
        await this.block(fn.body, state, (v) => out.push(...v));
      } catch (err) {
        if (!(err instanceof ReturnSignal)) throw err;
        out.push(...err.values);
      }
      return out;
    } finally {
      this.scopes.pop();
      this.types.pop();
    }
  }

  // ---------------------------------------------------------------- pipelines and commands

  private async pipeline(p: Pipeline, state: RunState): Promise<unknown[]> {
    const redirections = p.redirections ?? [];
    const errorRedirect = redirections.find((r) => r.stream === 'error');
    const outputRedirect = redirections.find((r) => r.stream === 'output');
    const savedSink = this.errorSink;
    const merged: unknown[] = [];
    const errorLines: string[] = [];
    if (errorRedirect) {
      if (errorRedirect.target === null) this.errorSink = (text) => merged.push(text);
      else this.errorSink = (text) => errorLines.push(text);
    }
    let result: unknown[];
    try {
      let current: unknown[] | null = null;
      for (const el of p.elements) {
        if (el.kind === 'expression') current = enumerate(await this.evaluate(el.expression, state, false));
        else current = await this.command(el, current, state);
      }
      result = current ?? [];
    } catch (err) {
      if (err instanceof ControlFlow) throw err;
      const fault =
        err instanceof ScriptFault
          ? err
          : new ScriptFault(asUmpinError(err), { span: p.span, command: null, secrets: [] }, false);
      // a redirected error stream takes the statement's own error too, outside a try
      if (!errorRedirect || fault.stopsScript || this.tryDepth > 0) throw fault;
      this.reportFault(fault, state);
      result = [];
    } finally {
      this.errorSink = savedSink;
    }
    if (errorRedirect && errorRedirect.target !== null)
      await this.redirectTo(errorRedirect.target, errorRedirect.append, errorLines, state, true);
    result = [...result, ...merged];
    if (outputRedirect?.target) {
      await this.redirectTo(outputRedirect.target, outputRedirect.append, result, state, false);
      return [];
    }
    return result;
  }

  /** `> file`: the output as it would print; `> $null` drops it */
  private async redirectTo(
    target: Expression,
    append: boolean,
    values: unknown[],
    state: RunState,
    lines: boolean,
  ): Promise<void> {
    const to = plain(await this.evaluate(target, state, true));
    if (to === null) return;
    const text = lines
      ? values.map(toText).join('\n')
      : formatOutput(values, (t) => (t ? this.views.get(t) : undefined), { width: undefined });
    const body = text === '' ? '' : `${text.replace(/\n+$/, '')}\n`;
    await writeTextFile(this.cwd, toText(to), body, { append });
  }

  private find(call: CommandCall): ShellCommand {
    const c = this.byName.get(call.name.toLowerCase());
    if (c) return c;
    const suggestion = closest(call.name, [
      ...this.opts.commands.map((x) => x.definition.name),
      ...[...this.functions.values()].map((f) => f.name),
    ]);
    throw new UmpinError({ code: 'UMPIN_SHELL_UNKNOWN_COMMAND', params: { name: call.name, suggestion } });
  }

  private async command(call: CommandCall, input: unknown[] | null, state: RunState): Promise<unknown[]> {
    let bound: BoundCommand | null = null;
    let name = call.name;
    try {
      const fn = this.functions.get(call.name.toLowerCase());
      if (fn) return await this.callFunction(fn, call, input, state);
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
      bound = await bindArguments(
        cmd.definition as CmdletDefinition,
        this.spread(call.args),
        async (e) => this.argument(e, state),
        this.preference(),
        this.shouldProcessPreferences((cmd.definition as CmdletDefinition).confirmImpact),
      );
      for (const key of Object.keys(bound.params))
        if (key.toLowerCase() === 'pin' && typeof bound.params[key] === 'string') this.secrets.add(bound.params[key]);
      if (bound.common.warningAction !== 'SilentlyContinue' && bound.common.warningAction !== 'Ignore') {
        for (const w of bound.warnings) this.h.warn(`${name}: ${w}`);
      }
      if (cmd.kind === 'builtin') {
        const ctx = this.builtinContext(state, name, bound, call.span);
        return await cmd.definition.run(ctx, bound.params, input);
      }
      return await this.exchange(cmd.definition, call, bound, input, state);
    } catch (err) {
      if (err instanceof ControlFlow || err instanceof ScriptFault) throw err;
      const e = asUmpinError(err);
      const action = bound?.common.errorAction ?? this.preference();
      // silenced, the command gives nothing and the statement goes on: `if (Get-X nobody -EA SilentlyContinue)` is false
      if (action === 'SilentlyContinue' || action === 'Ignore') {
        this.silentError(e);
        return [];
      }
      throw new ScriptFault(
        e,
        { span: call.span, command: name, secrets: bound?.secretSpans ?? [] },
        action === 'Stop',
      );
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
    const host = this.h;
    const { common } = bound;
    const ctx: CmdletContext = {
      ops: this.opts.ops,
      language: this.language,
      emit: (v) => out.push(v),
      warn: (m) => {
        if (common.warningAction !== 'SilentlyContinue' && common.warningAction !== 'Ignore') host.warn(m);
      },
      shouldProcess: this.shouldProcessOf(def.name, common, def.confirmImpact),
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
          this.report(e, state, { span: call.span, command: def.name, secrets: bound.secretSpans });
        else this.silentError(e);
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

  /** a cmdlet's ShouldProcess for one run of it: -WhatIf describes, -Confirm (or a high impact) asks */
  private shouldProcessOf(
    name: string,
    common: BoundCommand['common'],
    impact: CmdletDefinition['confirmImpact'],
  ): (target: string, action: string) => Promise<boolean> {
    let yesToAll = false;
    let noToAll = false;
    const mustAsk = common.confirm === true || (common.confirm === undefined && impact === 'high');
    return async (target, action) => {
      if (common.whatIf) {
        this.h.out(`What if: Performing the operation "${action}" on target "${target}".`);
        return false;
      }
      if (!mustAsk || yesToAll) return true;
      if (noToAll) return false;
      const answer = await this.h.confirm(
        `Confirm\nAre you sure you want to perform this action?\nPerforming the operation "${action}" on target "${target}".`,
      );
      if (answer === null)
        throw new UmpinError({ code: 'UMPIN_SHELL_CONFIRMATION_REQUIRED', params: { cmdlet: name } });
      if (answer === 'all') yesToAll = true;
      if (answer === 'none') noToAll = true;
      return answer === 'yes' || answer === 'all';
    };
  }

  private builtinContext(state: RunState, name: string, bound: BoundCommand, span: Span): BuiltinContext {
    const def = this.byName.get(name.toLowerCase())?.definition;
    return {
      shouldProcess: this.shouldProcessOf(name, bound.common, def?.confirmImpact),
      host: this.h,
      signal: state.signal,
      cwd: this.cwd,
      commands: this.opts.commands,
      view: (t) => (t ? this.views.get(t) : undefined),
      warn: (m) => this.h.warn(`${name}: ${m}`),
      invoke: (block, item) => this.invokeBlock(block, item, state),
      verbose: bound.common.verbose || toText(this.variable('VerbosePreference')).toLowerCase() === 'continue',
      writeError: (err) => {
        const action = bound.common.errorAction;
        if (action === 'Stop') throw new ScriptFault(err, { span, command: name, secrets: [] }, true);
        if (action === 'SilentlyContinue' || action === 'Ignore') {
          this.silentError(err);
          return;
        }
        this.report(err, state, { span, command: name, secrets: [] });
      },
      mask: (text) => this.masked(text),
    };
  }

  private async invokeBlock(block: ScriptBlock, item: unknown, state: RunState): Promise<unknown[]> {
    const saved = [this.variable('_'), this.variable('psitem')];
    this.setVariable('_', item);
    this.setVariable('psitem', item);
    try {
      const out: unknown[] = [];
      await this.block(block.ast.statements, state, (v) => out.push(...v));
      return out;
    } finally {
      this.setVariable('_', saved[0]);
      this.setVariable('psitem', saved[1]);
    }
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
      case 'member':
        return member(await this.evaluate(e.target, state, false), e.member);
      case 'index':
        return index(await this.evaluate(e.target, state, false), plain(await this.evaluate(e.index, state, false)));
      case 'method': {
        const target = await this.evaluate(e.target, state, false);
        const args: unknown[] = [];
        for (const a of e.args) args.push(plain(await this.evaluate(a, state, false)));
        if (target instanceof ScriptCmdlet && e.method.toLowerCase() === 'shouldprocess')
          return this.shouldProcess(target, args);
        return callMethod(target, e.method, args);
      }
      case 'cast':
        return cast(e.type, await this.evaluate(e.operand, state, false));
      case 'type':
        throw runtimeError(`A type ([${e.type}]) has no value of its own; it goes after -is, -isnot or -as`);
      case 'static': {
        const args: unknown[] = [];
        for (const a of e.args ?? []) args.push(plain(await this.evaluate(a, state, false)));
        return staticMember(e.type, e.member, e.args === null ? null : args);
      }
      case 'increment': {
        const old = plain(await this.evaluate(e.target, state, false));
        const next = toNumber(old) + e.delta;
        await this.assignTo(e.target, next, state);
        return e.prefix ? next : (old ?? 0);
      }
      case 'array': {
        const items: unknown[] = [];
        for (const item of e.items) items.push(await this.evaluate(item, state, argumentMode));
        return items;
      }
      case 'subexpression': {
        const out: unknown[] = [];
        await this.block(e.statements, state, (v) => out.push(...v));
        return e.array ? out : single(out);
      }
      case 'paren':
        return single(await this.pipeline(e.pipeline, state));
      case 'hashtable': {
        const h = new Hashtable();
        for (const entry of e.entries) h.set(entry.key, plain(await this.evaluate(entry.value, state, false)));
        return h;
      }
      case 'scriptblock':
        return new ScriptBlock(e);
      case 'unary': {
        const v = await this.evaluate(e.operand, state, false);
        if (e.operator === 'not') return !isTrue(v);
        if (e.operator === 'negate') return -toNumber(v);
        if (e.operator === 'join') return join(plain(v), '');
        return split(plain(v), undefined, false);
      }
      case 'binary': {
        if (e.operator === 'and')
          return (
            isTrue(await this.evaluate(e.left, state, false)) && isTrue(await this.evaluate(e.right, state, false))
          );
        if (e.operator === 'or')
          return (
            isTrue(await this.evaluate(e.left, state, false)) || isTrue(await this.evaluate(e.right, state, false))
          );
        if ((e.operator === 'is' || e.operator === 'isnot' || e.operator === 'as') && e.right.kind === 'type') {
          const value = plain(await this.evaluate(e.left, state, false));
          if (e.operator === 'as') return convertAs(e.right.type, value);
          return isOfType(value, e.right.type) === (e.operator === 'is');
        }
        const left = plain(await this.evaluate(e.left, state, false));
        const right = plain(await this.evaluate(e.right, state, false));
        switch (e.operator) {
          case 'xor':
            return isTrue(left) !== isTrue(right);
          case '+':
            return add(left, right);
          case '-':
          case '*':
          case '/':
          case '%':
            return arithmetic(e.operator, left, right);
          case 'range':
            return range(left, right);
          case 'format':
            return format(left, right);
          case 'join':
            return join(left, right);
          case 'split':
            return split(left, right, e.caseSensitive);
          case 'replace':
            return replace(left, right, e.caseSensitive);
          case 'match':
            if (!Array.isArray(left)) {
              const m = matchOf(left, right, e.caseSensitive);
              if (m) this.setVariable('matches', m);
              return m !== null;
            }
            break;
        }
        try {
          return compare(e.operator as Comparison, left, right, e.caseSensitive);
        } catch (err) {
          throw runtimeError((err as Error).message);
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

function noPlace(): Place {
  return { span: null, command: null, secrets: [] };
}

function add(left: unknown, right: unknown): unknown {
  if (Array.isArray(left)) return [...left, ...(Array.isArray(right) ? right : [right])];
  if (left instanceof Hashtable && right instanceof Hashtable) {
    const h = new Hashtable();
    for (const k of left.keys()) h.set(k, left.get(k));
    for (const k of right.keys()) {
      if (h.has(k)) throw runtimeError(`Both hashtables hold the key '${k}'`);
      h.set(k, right.get(k));
    }
    return h;
  }
  if (left instanceof Date) return new Date(left.getTime() + toNumber(right) * 86_400_000);
  if (typeof left === 'number' && (typeof right === 'number' || typeof right === 'boolean'))
    return left + Number(right);
  if (typeof left === 'number' && typeof right === 'string' && right.trim() !== '' && !Number.isNaN(Number(right)))
    return left + Number(right);
  if (typeof left === 'number' && (right === null || right === undefined)) return left;
  if (typeof left === 'number') throw runtimeError(`Cannot add ${toText(right)} to a number`);
  if (left === null || left === undefined) return right;
  if (left instanceof Hashtable) throw runtimeError('Only a hashtable can be added to a hashtable');
  if (left instanceof SecureString) throw runtimeError('A secure string cannot be added to');
  return toText(left) + toText(right);
}

/** a parameter's validation attribute, checked against the argument given (defaults are not checked, as in PowerShell) */
function validate(check: Validation, value: unknown, field: string, owner: string): void {
  const fail = (attribute: ValidationAttribute, shown?: unknown, allowed?: string): never => {
    throw new UmpinError({
      code: 'UMPIN_SHELL_VALIDATION_FAILED',
      field,
      params: {
        cmdlet: owner,
        field,
        attribute,
        value: shown === undefined ? undefined : shortText(shown),
        allowed,
      },
    });
  };
  const list = enumerate(value);
  switch (check.kind) {
    case 'notnullorempty':
      if (value === null || value === undefined || toText(value) === '' || (Array.isArray(value) && list.length === 0))
        fail('ValidateNotNullOrEmpty');
      return;
    case 'set':
      for (const item of list)
        if (!check.values.some((v) => v.toLowerCase() === toText(item).toLowerCase()))
          fail('ValidateSet', item, check.values.join(','));
      return;
    case 'pattern': {
      const re = new RegExp(check.pattern, 'i');
      for (const item of list) if (!re.test(toText(item))) fail('ValidatePattern', item, check.pattern);
      return;
    }
    case 'range':
      for (const item of list) {
        const n = toNumber(item, 'a number');
        if (n < check.min || n > check.max) fail('ValidateRange', item, `${check.min}..${check.max}`);
      }
      return;
  }
}

type ValidationAttribute = 'ValidateSet' | 'ValidatePattern' | 'ValidateRange' | 'ValidateNotNullOrEmpty';

/** a value converted to a typed variable's type; a failure names the variable and the type */
function convertVariable(name: string, type: string, value: unknown): unknown {
  try {
    return cast(type, plain(value));
  } catch {
    throw new UmpinError({
      code: 'UMPIN_SHELL_VARIABLE_CONVERSION',
      field: name,
      params: { variable: name, type, value: shortText(plain(value)) },
    });
  }
}

// ---------------------------------------------------------------- script and function arguments

export interface ScriptArgument {
  /** `-Name`, without the dash; absent for a positional value */
  name?: string;
  /** undefined for a bare `-Name` (a switch, or a name whose value follows) */
  value: unknown;
  /** `-Name` with no `:value` (its value may be the next argument) */
  bare?: boolean;
}

interface BoundScriptArguments {
  owner: string;
  values: Map<string, unknown>;
  rest: unknown[];
}

const COMMON_ALIASES: Readonly<Record<string, string>> = {
  ea: 'erroraction',
  vb: 'verbose',
  wi: 'whatif',
  cf: 'confirm',
};

/** the common parameters [CmdletBinding()] adds, except those the script or function declares itself */
function commonDeclarations(binding: CmdletBinding | undefined, own: readonly ParamDeclaration[]): ParamDeclaration[] {
  if (!binding) return [];
  const names = binding.shouldProcess ? ['WhatIf', 'Confirm', 'Verbose', 'ErrorAction'] : ['Verbose', 'ErrorAction'];
  return names
    .filter((n) => !own.some((p) => p.name.toLowerCase() === n.toLowerCase()))
    .map((name) => ({
      name,
      type: name === 'ErrorAction' ? 'string' : 'switch',
      mandatory: false,
      defaultValue: null,
      span: { start: 0, end: 0 },
    }));
}

/** `-Path users.csv -WhatIf` as the command line gives them to a script */
function commandLineArguments(args: readonly string[]): ScriptArgument[] {
  const out: ScriptArgument[] = [];
  for (const a of args) {
    const m = /^-([A-Za-z_][\w]*)(?::(.*))?$/s.exec(a);
    if (!m) out.push({ value: a });
    else if (m[2] !== undefined) out.push({ name: m[1]!, value: m[2] });
    else out.push({ name: m[1]!, value: undefined, bare: true });
  }
  return out;
}

/** Binds named (unique prefix, case-insensitive) then positional arguments to declared parameters. */
function bindScriptArguments(
  params: readonly ParamDeclaration[],
  args: readonly ScriptArgument[],
  owner: string,
): BoundScriptArguments {
  const values = new Map<string, unknown>();
  const positional: unknown[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.name === undefined) {
      positional.push(a.value);
      continue;
    }
    const typed = a.name.toLowerCase();
    // the common parameters' short names, where [CmdletBinding()] added them
    const alias = COMMON_ALIASES[typed];
    const lower =
      alias && !params.some((p) => p.name.toLowerCase() === typed) && params.some((p) => p.name.toLowerCase() === alias)
        ? alias
        : typed;
    const exact = params.find((p) => p.name.toLowerCase() === lower);
    const candidates = exact ? [exact] : params.filter((p) => p.name.toLowerCase().startsWith(lower));
    if (candidates.length !== 1) {
      if (candidates.length > 1)
        throw new UmpinError({
          code: 'UMPIN_SHELL_AMBIGUOUS_PARAMETER',
          field: a.name,
          params: { cmdlet: owner, name: a.name, candidates: candidates.map((c) => `-${c.name}`).join(', ') },
        });
      throw new UmpinError({
        code: 'UMPIN_SHELL_UNKNOWN_PARAMETER',
        field: a.name,
        params: {
          cmdlet: owner,
          name: a.name,
          suggestion: closest(
            a.name,
            params.map((p) => p.name),
          ),
        },
      });
    }
    const p = candidates[0]!;
    if (values.has(p.name.toLowerCase()))
      throw new UmpinError({
        code: 'UMPIN_SHELL_PARAMETER_REPEATED',
        field: p.name,
        params: { cmdlet: owner, field: p.name },
      });
    let value = a.value;
    if (a.bare && p.type !== 'switch') {
      const next = args[i + 1];
      if (!next || next.name !== undefined)
        throw new UmpinError({
          code: 'UMPIN_SHELL_ARGUMENT_MISSING',
          field: p.name,
          params: { cmdlet: owner, field: p.name, type: p.type ?? 'Object' },
        });
      value = next.value;
      i++;
    }
    values.set(p.name.toLowerCase(), value);
  }
  const rest: unknown[] = [];
  for (const v of positional) {
    const free = params.find((p) => p.type !== 'switch' && !values.has(p.name.toLowerCase()));
    if (free) values.set(free.name.toLowerCase(), v);
    else rest.push(v);
  }
  return { owner, values, rest };
}
