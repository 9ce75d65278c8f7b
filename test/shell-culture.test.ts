/**
 * The shell words errors in the session's culture: LANG=zh_TW.UTF-8 gives Traditional
 * Chinese, in-process and remote alike (the remote shell rebuilds the error from the
 * server's code, field and params and words it here), while the error record keeps its
 * PowerShell shape and code. The command line does the same for its own errors.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { renderError, UmpinError } from '../src/domain/errors.js';
import { shellCommands } from '../src/shell/commands.js';
import { languageFromLocaleEnv } from '../src/shell/culture.js';
import { BufferHost } from '../src/shell/host.js';
import { apiClient } from '../src/shell/remote-client.js';
import { Session } from '../src/shell/session.js';
import { umpin } from './cli-runner.js';
import { childEnv, ENGINES, freshDatabase } from './harness.js';
import { demoShell, SHELL_MODES } from './shell-harness.js';

const REFUSED = 'Set-UMMailboxPIN tonysmith -Pin 1234 -Confirm:$false';

describe('the session culture', () => {
  it('comes from LC_ALL, else LC_MESSAGES, else LANG; C, POSIX and unknown locales are English', () => {
    expect(languageFromLocaleEnv({ LANG: 'zh_TW.UTF-8' })).toBe('zh-TW');
    expect(languageFromLocaleEnv({ LANG: 'en_US.UTF-8', LC_MESSAGES: 'zh_HK.UTF-8' })).toBe('zh-TW');
    expect(languageFromLocaleEnv({ LANG: 'zh_TW.UTF-8', LC_ALL: 'C' })).toBe('en');
    expect(languageFromLocaleEnv({ LANG: 'zh_CN.UTF-8' })).toBe('en');
    expect(languageFromLocaleEnv({})).toBe('en');
  });

  it("the remote client asks for the shell's language and rebuilds the error from code, field and params", async () => {
    let asked: string | undefined;
    const server = createServer((req, res) => {
      asked = req.headers['accept-language'];
      res.writeHead(422, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          code: 'UMPIN_PIN_TOO_SHORT',
          field: 'Pin',
          params: { min: 6 },
          message: 'worded by the server',
        }),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const client = apiClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, 'umpin_x', {
        language: 'zh-TW',
      });
      const err = await client.request('PUT', '/um-mailboxes/tonysmith/pin', { body: {} }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(asked).toBe('zh-TW');
      expect(err).toBeInstanceOf(UmpinError);
      expect([(err as UmpinError).code, (err as UmpinError).field, (err as UmpinError).params]).toEqual([
        'UMPIN_PIN_TOO_SHORT',
        'Pin',
        { min: 6 },
      ]);
      expect(renderError(err as UmpinError, 'zh-TW')).toBe('PIN 碼至少須為 6 位數（UM 信箱原則的 MinPINLength）。');
    } finally {
      server.close();
    }
  });
});

for (const engine of ENGINES) {
  for (const mode of SHELL_MODES) {
    describe(`shell errors under LANG=zh_TW.UTF-8 (${mode}, ${engine})`, () => {
      it('words the message in Traditional Chinese, keeping the record, code and field; English otherwise', async () => {
        const f = await demoShell(engine, mode);
        try {
          const run = async (env: NodeJS.ProcessEnv) => {
            const host = new BufferHost();
            await new Session({ ops: f.ops, host, commands: shellCommands(), cwd: f.cwd, env }).run(REFUSED);
            return host.errors;
          };
          const zh = await run({ LANG: 'zh_TW.UTF-8' });
          expect(zh).toContain('Set-UMMailboxPIN : PIN 碼至少須為 6 位數（UM 信箱原則的 MinPINLength）。');
          expect(zh).toContain('+ CategoryInfo          : InvalidArgument: (Pin) [Set-UMMailboxPIN], UmpinError');
          expect(zh).toContain('+ FullyQualifiedErrorId : UMPIN_PIN_TOO_SHORT,Set-UMMailboxPIN');
          expect(zh).not.toContain('1234');
          const en = await run({ LANG: 'C.UTF-8' });
          expect(en).toContain(
            'Set-UMMailboxPIN : The PIN must be at least 6 digits long (MinPINLength of the UM mailbox policy).',
          );
          // the same record but for the words
          expect(zh.split('\n').slice(1)).toEqual(en.split('\n').slice(1));
        } finally {
          await f.close();
        }
      });
    });
  }

  describe(`umpin shell under LANG=zh_TW.UTF-8 (${engine})`, () => {
    it('prints the error record in Traditional Chinese, and the command line its own errors', async () => {
      const db = await freshDatabase(engine);
      try {
        const env = childEnv(db, { LANG: 'zh_TW.UTF-8', LC_ALL: '', LC_MESSAGES: '' });
        expect((await umpin(env, 'init', '--demo')).code).toBe(0);
        const r = await umpin(env, 'shell', '-c', REFUSED);
        expect(r.code).toBe(1);
        expect(r.stderr).toContain('PIN 碼至少須為 6 位數（UM 信箱原則的 MinPINLength）。');
        expect(r.stderr).toContain('UMPIN_PIN_TOO_SHORT');
        const cli = await umpin(env, 'init', '--mailboxes', '100');
        // the rule itself is free text, in English in every catalog
        expect(cli.stderr).toMatch(/^umpin: UMPIN_VALUE_INVALID: --mailboxes 無效：/);
      } finally {
        await db.drop();
      }
    });
  });
}
