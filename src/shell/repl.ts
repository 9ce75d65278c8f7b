/**
 * The interactive shell: a prompt with history kept across runs, tab completion of cmdlet
 * and parameter names, continuation lines for unfinished input, and Ctrl-C that cancels
 * the line being typed or stops the running command between two objects.
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createInterface, type Interface } from 'node:readline';
import { UmpinError } from '../domain/errors.js';
import { parse } from './parser.js';
import type { Session } from './session.js';
import type { TerminalHost } from './host.js';

const HISTORY_SIZE = 1000;

/**
 * Lines that carry a PIN or a password are kept for this session only, never written to
 * the history file (as PSReadLine leaves out lines that look sensitive). A PIN can reach a
 * line without -Pin — assigned to a variable first (`$p = "38472917"`), or behind a mistyped
 * parameter (`-Pn 38472917`) — so any number of four digits or more keeps the line out too,
 * as the error echo masks such runs. An extension or a year is the price of that.
 */
export function isSensitive(line: string): boolean {
  return (
    /(^|[\s;|(])-(pin|password|oldpin|newpin)(?=[\s:]|$)/i.test(line) ||
    /[0-9]{4}/.test(line) ||
    /-asplaintext/i.test(line) ||
    /convertto-securestring/i.test(line)
  );
}

function loadHistory(path: string): string[] {
  if (!existsSync(path)) return [];
  try {
    return readFileSync(path, 'utf8').split('\n').filter(Boolean).reverse().slice(0, HISTORY_SIZE);
  } catch {
    return [];
  }
}

/** Names to complete the last word of `line` with. */
export function completions(session: Session, line: string): [string[], string] {
  const segment = line.split(/[|;{(]/).pop() ?? '';
  const word = /(\S*)$/.exec(segment)?.[1] ?? '';
  const words = segment.trim().split(/\s+/);
  const lower = word.toLowerCase();
  if (words.length <= 1 && !word.startsWith('-')) {
    const names = session.commands.map((c) => c.definition.name).filter((n) => n.toLowerCase().startsWith(lower));
    return [names, word];
  }
  if (word.startsWith('-')) {
    const cmdName = words[0]?.toLowerCase();
    const cmd = session.commands.find((c) =>
      [c.definition.name, ...(c.definition.aliases ?? [])].some((n) => n.toLowerCase() === cmdName),
    );
    if (!cmd) return [[], word];
    const names = [
      ...cmd.definition.parameters.map((p) => p.name),
      ...cmd.definition.ignoredParameters.map((p) => p.name),
      ...(cmd.definition.confirmImpact ? ['WhatIf', 'Confirm'] : []),
    ];
    return [names.filter((n) => n.toLowerCase().startsWith(lower.slice(1))).map((n) => `-${n}`), word];
  }
  return [[], word];
}

function isIncomplete(source: string): boolean {
  try {
    parse(source);
    return false;
  } catch (err) {
    return err instanceof UmpinError && err.params.incomplete === true;
  }
}

export interface ReplOptions {
  session: Session;
  host: TerminalHost;
  historyFile: string;
  /** runs after each command line, e.g. to deliver the mails it queued */
  afterEach?: () => Promise<void>;
}

export async function runRepl(opts: ReplOptions): Promise<void> {
  const { session, host } = opts;
  const history = loadHistory(opts.historyFile);
  const rl: Interface = createInterface({
    input: process.stdin,
    output: process.stdout,
    terminal: true,
    history,
    historySize: HISTORY_SIZE,
    removeHistoryDuplicates: true,
    completer: (line: string) => completions(session, line),
  });
  const saved = history.slice().reverse();
  let running = false;
  let buffer = '';
  host.ask = (question) =>
    new Promise((resolve) => {
      rl.question(question, (answer) => resolve(answer));
    });
  // Read-Host -AsSecureString: nothing typed is echoed, and the answer leaves the line editor's history
  const editor = rl as unknown as { _writeToOutput(s: string): void; history: string[] };
  host.askSecret = (question) =>
    new Promise((resolve) => {
      process.stdout.write(question);
      const write = editor._writeToOutput;
      editor._writeToOutput = (s: string) => {
        if (/[\r\n]/.test(s)) write.call(rl, '\n');
      };
      rl.question('', (answer) => {
        editor._writeToOutput = write;
        const at = editor.history.indexOf(answer);
        if (at >= 0) editor.history.splice(at, 1);
        resolve(answer);
      });
    });
  rl.on('SIGINT', () => {
    if (running) {
      session.cancel();
      return;
    }
    buffer = '';
    process.stdout.write('^C\n');
    rl.setPrompt('[PS] umpin> ');
    rl.prompt();
  });
  process.stdout.write(
    'umpin shell: Exchange UM cmdlets. Type Get-Help for the cmdlets, Get-Help <cmdlet> -Examples for examples, exit to leave.\n',
  );
  rl.setPrompt('[PS] umpin> ');
  rl.prompt();
  for await (const line of rl) {
    buffer = buffer ? `${buffer}\n${line}` : line;
    if (buffer.trim() === '') {
      buffer = '';
      rl.prompt();
      continue;
    }
    if (/^\s*(exit|quit)\s*$/i.test(buffer)) break;
    if (isIncomplete(buffer)) {
      rl.setPrompt('>> ');
      rl.prompt();
      continue;
    }
    const source = buffer;
    buffer = '';
    if (!isSensitive(source)) {
      saved.push(source.replace(/\n/g, ' '));
      try {
        writeFileSync(opts.historyFile, `${saved.slice(-HISTORY_SIZE).join('\n')}\n`, { mode: 0o600 });
        chmodSync(opts.historyFile, 0o600);
      } catch {
        // history is a convenience: a read-only data directory must not stop the shell
      }
    }
    // the line editor keeps reading while a command runs, so that Ctrl-C reaches it
    running = true;
    try {
      await session.run(source);
      await opts.afterEach?.();
    } finally {
      running = false;
    }
    // `exit` inside a line (`if ($done) { exit }`) leaves the shell too
    if (session.exitCode !== null) break;
    rl.setPrompt('[PS] umpin> ');
    rl.prompt();
  }
  host.ask = null;
  host.askSecret = null;
  rl.close();
}
