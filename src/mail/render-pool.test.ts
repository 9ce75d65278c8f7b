import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { RenderPool } from './render-pool.js';
import { renderMessage, type RenderInput } from './render-message.js';

function input(id: string, over: Partial<RenderInput> = {}): RenderInput {
  return {
    id,
    kind: 'pin-reset',
    to: 'ada@contoso.com',
    language: 'zh-TW',
    payload: {
      pin: '480917',
      displayName: 'Ada',
      primarySmtpAddress: 'ada@contoso.com',
      extensions: ['24680'],
      voiceAccessNumbers: ['+1 425 555 0100'],
      dialPlanName: 'HQ',
      policyText: 'Call 4357.',
    },
    from: 'Contoso Voice Mail <voicemail@contoso.com>',
    organizationName: 'Contoso',
    messageIdDomain: 'contoso.com',
    createdAt: Date.UTC(2025, 2, 10, 9, 0),
    timeZone: 'Asia/Taipei',
    ...over,
  };
}

describe('RenderPool', () => {
  const pools: RenderPool[] = [];
  const pool = (size = 1) => {
    const p = new RenderPool(size);
    pools.push(p);
    return p;
  };
  afterEach(async () => {
    for (const p of pools.splice(0)) await p.close();
  });

  it('renders on its thread the very bytes an inline render gives', async () => {
    const p = pool();
    expect(await p.started()).toBe(true);
    const ids = Array.from({ length: 20 }, (_, i) => `row-${i}`);
    const threaded = await Promise.all(ids.map((id) => p.render(input(id))));
    for (const [i, id] of ids.entries()) {
      const inline = await renderMessage(input(id));
      expect(threaded[i]!.messageId).toBe(inline.messageId);
      expect(threaded[i]!.raw.equals(inline.raw)).toBe(true);
    }
  });

  it('passes a render failure back as its message', async () => {
    const p = pool();
    await p.started();
    const bad = input('row-x', { payload: { ...input('row-x').payload, pin: '' } });
    await expect(p.render(bad)).rejects.toThrow('a pin-reset mail was queued without a PIN');
  });

  it('renders inline while no thread is up, and with no threads at all', async () => {
    const cold = pool();
    // the thread is still loading: this render does not wait for it
    expect((await cold.render(input('row-1'))).messageId).toBe('<row-1@contoso.com>');
    const none = pool(0);
    expect(await none.started()).toBe(false);
    expect((await none.render(input('row-2'))).messageId).toBe('<row-2@contoso.com>');
  });

  it('finishes the renders it holds when closed, and starts again on next use', async () => {
    const p = pool();
    await p.started();
    const pending = Array.from({ length: 30 }, (_, i) => p.render(input(`row-${i}`)));
    await p.close();
    const done = await Promise.all(pending);
    expect(done.map((r) => r.messageId)).toEqual(Array.from({ length: 30 }, (_, i) => `<row-${i}@contoso.com>`));
    expect(await p.started()).toBe(true);
  });

  it('does not keep the process alive once idle', async () => {
    // a process that rendered through the pool and has nothing else to do exits on its own:
    // (a) its render went inline while the thread loaded, and the thread came up later,
    // (b) after renders on the thread
    const run = (body: string) =>
      new Promise<number | null>((resolve) => {
        const script = `import { RenderPool } from ${JSON.stringify(new URL('./render-pool.ts', import.meta.url).href)};
          const p = new RenderPool(1); const input = ${JSON.stringify(input('row-a'))}; ${body}`;
        const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
          stdio: 'ignore',
        });
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        child.on('exit', (c) => {
          clearTimeout(timer);
          resolve(c);
        });
      });
    expect(await run('await p.render(input); await new Promise((r) => setTimeout(r, 2000));')).toBe(0);
    expect(await run('if (!(await p.started())) process.exit(3); await p.render(input); await p.render(input);')).toBe(
      0,
    );
  });
});
