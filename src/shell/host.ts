/**
 * Where the shell's output goes: a terminal (colours, progress line, questions) or a
 * buffer (tests, the remote API). The runtime writes through this interface only.
 */

import { visibleText } from './visible-text.js';

export type ConfirmAnswer = 'yes' | 'all' | 'no' | 'none';

export interface Host {
  /** formatted output (stdout) */
  out(text: string): void;
  /** an error record (stderr; red on a terminal) */
  error(text: string): void;
  /** a "WARNING: ..." line (stderr; yellow on a terminal) */
  warn(text: string): void;
  /** Write-Host text */
  info(text: string, colour?: string): void;
  /** the progress line, or null to clear it */
  progress(line: string | null): void;
  /** asks a Yes/No question; null when nobody can answer (no terminal, no input) */
  confirm(question: string): Promise<ConfirmAnswer | null>;
  /** columns of the terminal; undefined when output is not a terminal */
  readonly width: number | undefined;
  /**
   * Read-Host: one line typed at the terminal (or piped in); null when nobody can answer.
   * `secret`: nothing typed is echoed, and the line is never kept.
   */
  readLine?(prompt: string, secret: boolean): Promise<string | null>;
}

const RED = '\u001b[31m';
const YELLOW = '\u001b[33m';
const RESET = '\u001b[0m';

const COLOURS: Record<string, string> = {
  black: '30',
  darkred: '31',
  darkgreen: '32',
  darkyellow: '33',
  darkblue: '34',
  darkmagenta: '35',
  darkcyan: '36',
  gray: '37',
  darkgray: '90',
  red: '91',
  green: '92',
  yellow: '93',
  blue: '94',
  magenta: '95',
  cyan: '96',
  white: '97',
};

/**
 * The process's terminal. Everything written to it passes through visibleText first, so data
 * cannot send it control sequences; only this class adds its own (colours, the progress line).
 * Questions are read from stdin: by readline when it is a
 * terminal (the REPL lends its interface), else line by line from piped input.
 */
export class TerminalHost implements Host {
  private progressShown = false;
  private lastProgressAt = 0;
  /** set by the interactive shell so that questions use its line editor */
  ask: ((question: string) => Promise<string | null>) | null = null;
  /** set by the interactive shell: a question whose answer is neither echoed nor kept in its history */
  askSecret: ((question: string) => Promise<string | null>) | null = null;
  private pipedLines: string[] | null = null;

  constructor(
    private readonly stdout: NodeJS.WriteStream = process.stdout,
    private readonly stderr: NodeJS.WriteStream = process.stderr,
  ) {}

  get width(): number | undefined {
    return this.stdout.isTTY ? this.stdout.columns : undefined;
  }

  private clearProgress(): void {
    if (this.progressShown && this.stderr.isTTY) this.stderr.write('\r\u001b[2K');
    this.progressShown = false;
  }

  out(data: string): void {
    this.clearProgress();
    const text = visibleText(data);
    this.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  error(data: string): void {
    this.clearProgress();
    const text = visibleText(data);
    this.stderr.write(this.stderr.isTTY ? `${RED}${text}${RESET}\n` : `${text}\n`);
  }

  warn(data: string): void {
    this.clearProgress();
    const line = `WARNING: ${visibleText(data)}`;
    this.stderr.write(this.stderr.isTTY ? `${YELLOW}${line}${RESET}\n` : `${line}\n`);
  }

  info(data: string, colour?: string): void {
    this.clearProgress();
    const text = visibleText(data);
    const code = colour ? COLOURS[colour.toLowerCase()] : undefined;
    this.stdout.write(code && this.stdout.isTTY ? `\u001b[${code}m${text}${RESET}\n` : `${text}\n`);
  }

  progress(data: string | null): void {
    if (data === null) {
      this.clearProgress();
      return;
    }
    const line = visibleText(data);
    if (this.stderr.isTTY) {
      this.stderr.write(`\r\u001b[2K${line.slice(0, (this.stderr.columns ?? 80) - 1)}`);
      this.progressShown = true;
      return;
    }
    // not a terminal: a plain line now and then, so logs of long runs show progress too
    const now = Date.now();
    if (now - this.lastProgressAt >= 2000 || line.startsWith('Completed')) {
      this.stderr.write(`${line}\n`);
      this.lastProgressAt = now;
    }
  }

  async confirm(question: string): Promise<ConfirmAnswer | null> {
    this.clearProgress();
    const prompt = `${visibleText(question)}\n[Y] Yes  [A] Yes to All  [N] No  [L] No to All  (default is "Y"): `;
    for (;;) {
      const answer = await this.readAnswer(prompt);
      if (answer === null) return null;
      const a = answer.trim().toLowerCase();
      if (a === '' || a === 'y' || a === 'yes') return 'yes';
      if (a === 'a') return 'all';
      if (a === 'n' || a === 'no') return 'no';
      if (a === 'l') return 'none';
    }
  }

  async readLine(prompt: string, secret: boolean): Promise<string | null> {
    this.clearProgress();
    const shown = visibleText(prompt);
    if (secret && this.askSecret) return this.askSecret(shown);
    if (!secret && this.ask) return this.ask(shown);
    if (process.stdin.isTTY) return readTerminalLine(shown, secret, this.stderr);
    const line = await this.pipedLine();
    if (line === null) return null;
    // piped input is not typed by a person: nothing to echo, and a secret is never written back
    this.stderr.write(`${shown}${secret ? '' : visibleText(line)}\n`);
    return line;
  }

  private async pipedLine(): Promise<string | null> {
    if (this.pipedLines === null) {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      this.pipedLines = Buffer.concat(chunks).toString('utf8').split(/\r?\n/);
      if (this.pipedLines.at(-1) === '') this.pipedLines.pop();
    }
    return this.pipedLines.shift() ?? null;
  }

  private async readAnswer(prompt: string): Promise<string | null> {
    if (this.ask) return this.ask(prompt);
    if (process.stdin.isTTY) return null;
    if (this.pipedLines === null) {
      // answers piped in (e.g. `yes | umpin shell -c ...`): read them all once
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      this.pipedLines = Buffer.concat(chunks).toString('utf8').split(/\r?\n/);
      if (this.pipedLines.at(-1) === '') this.pipedLines.pop();
    }
    const line = this.pipedLines.shift();
    if (line === undefined) return null;
    this.stderr.write(`${prompt + visibleText(line)}\n`);
    return line;
  }
}

/**
 * One line from the terminal in raw mode: a secret shows a '*' per character typed and is
 * kept nowhere; Ctrl-C gives null.
 */
function readTerminalLine(prompt: string, secret: boolean, out: NodeJS.WriteStream): Promise<string | null> {
  const stdin = process.stdin;
  return new Promise((done) => {
    out.write(prompt);
    const wasRaw = stdin.isRaw;
    stdin.setRawMode(true);
    stdin.resume();
    let line = '';
    const finish = (value: string | null) => {
      stdin.off('data', onData);
      stdin.setRawMode(wasRaw);
      stdin.pause();
      out.write('\n');
      done(value);
    };
    const onData = (chunk: Buffer) => {
      for (const c of chunk.toString('utf8')) {
        if (c === '\r' || c === '\n') return finish(line);
        if (c === '\u0003' || c === '\u0004') return finish(null);
        if (c === '\u007f' || c === '\b') {
          if (line) {
            line = [...line].slice(0, -1).join('');
            out.write('\b \b');
          }
        } else if (c >= ' ') {
          line += c;
          out.write(secret ? '*' : visibleText(c));
        }
      }
    };
    stdin.on('data', onData);
  });
}

/** Collects everything, for tests and for returning a command's output as text. */
export class BufferHost implements Host {
  readonly stdout: string[] = [];
  readonly stderr: string[] = [];
  readonly progressLines: string[] = [];
  constructor(
    private readonly answers: ConfirmAnswer[] = [],
    readonly width: number | undefined = undefined,
  ) {}
  out(text: string): void {
    this.stdout.push(text);
  }
  error(text: string): void {
    this.stderr.push(text);
  }
  warn(text: string): void {
    this.stderr.push(`WARNING: ${text}`);
  }
  info(text: string): void {
    this.stdout.push(text);
  }
  progress(line: string | null): void {
    if (line !== null) this.progressLines.push(line);
  }
  async confirm(question: string): Promise<ConfirmAnswer | null> {
    this.stderr.push(question);
    return this.answers.shift() ?? null;
  }
  /** what Read-Host gets, in order */
  readonly lines: string[] = [];
  /** Read-Host's prompts, with what was typed unless it was secret */
  readonly prompts: string[] = [];
  async readLine(prompt: string, secret: boolean): Promise<string | null> {
    const line = this.lines.shift();
    if (line === undefined) return null;
    this.prompts.push(`${prompt}${secret ? '' : line}`);
    return line;
  }
  get output(): string {
    return this.stdout.join('\n');
  }
  get errors(): string {
    return this.stderr.join('\n');
  }
}
