/** A Set- cmdlet given nothing to change: Exchange succeeds with a warning. */
import type { CmdletContext } from '../../cmdlet.js';

/** `resolve` looks the object up first, so that an unknown identity is still an error. */
export async function noChange(ctx: CmdletContext, id: string, resolve: () => Promise<unknown>): Promise<void> {
  await resolve();
  ctx.warn(`The command completed successfully but no settings of '${id}' have been modified.`);
}
