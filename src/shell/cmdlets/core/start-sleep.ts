import { UmpinError } from '../../../domain/errors.js';
import type { BuiltinDefinition } from '../../builtin.js';

/** the longest pause a script may take at once (Ctrl-C ends it sooner) */
const MAX_SLEEP_MS = 3_600_000;

/** Start-Sleep: waits, e.g. between two batches of changes; Ctrl-C ends the wait. */
export const START_SLEEP: BuiltinDefinition = {
  name: 'Start-Sleep',
  aliases: ['sleep'],
  synopsis: 'Waits a number of seconds or milliseconds.',
  description: 'Pauses the script; Ctrl-C stops the wait. At most one hour at a time.',
  parameters: [
    { name: 'Seconds', type: 'object', position: 0, aliases: ['s'], help: 'How many seconds (fractions allowed).' },
    { name: 'Milliseconds', type: 'int', aliases: ['ms'], help: 'How many milliseconds.' },
  ],
  ignoredParameters: [],
  examples: [{ code: 'Start-Sleep -Milliseconds 200', description: 'Waits a fifth of a second.', source: 'umpin' }],
  async run(ctx, params) {
    const ms = params.Milliseconds !== undefined ? Number(params.Milliseconds) : Number(params.Seconds ?? 0) * 1000;
    if (!Number.isFinite(ms) || ms < 0 || ms > MAX_SLEEP_MS)
      throw new UmpinError({
        code: 'UMPIN_SHELL_ARGUMENT_INVALID',
        field: 'Seconds',
        params: { cmdlet: 'Start-Sleep', field: 'Seconds', rule: 'it takes 0 to 3600 seconds' },
      });
    await new Promise<void>((done) => {
      const stop = () => {
        clearTimeout(timer);
        done();
      };
      const timer = setTimeout(() => {
        ctx.signal.removeEventListener('abort', stop);
        done();
      }, ms);
      ctx.signal.addEventListener('abort', stop, { once: true });
    });
    return [];
  },
};
