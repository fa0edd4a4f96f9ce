import type { Document } from '../documents';
import { CommandError, ErrorCode } from '../errors';
import { adminCommands } from './admin';
import { OPEN_COMMANDS } from '../auth';
import { aggregateCommands } from './aggregate';
import { checkCommandOptions, enforceTimeLimit, readTimeLimit } from './command-options';
import type { CommandContext, CommandHandler } from './context';
import { explainCommands } from './explain';
import { handshakeCommands } from './handshake';
import { indexCommands } from './indexes';
import { readCommands } from './read';
import { writeCommands } from './write';
import { rejectViewTarget } from './views';

const transactionError = (): never => {
  throw new CommandError(ErrorCode.IllegalOperation, 'Transaction numbers are only allowed on a replica set member or mongos');
};

const handlers = new Map<string, CommandHandler>(
  Object.entries({
    ...handshakeCommands,
    ...adminCommands,
    ...readCommands,
    ...writeCommands,
    ...indexCommands,
    ...aggregateCommands,
    ...explainCommands,
    commitTransaction: transactionError,
    abortTransaction: transactionError,
  }),
);

/** Commands older clients spell differently. */
const aliases: Record<string, string> = { buildinfo: 'buildInfo', findandmodify: 'findAndModify' };

/** Finds the handler for a command body; the command is the body's first field. */
export function lookupCommand(body: Document): { name: string; handler: CommandHandler } {
  const first = Object.keys(body)[0];
  if (first === undefined) throw new CommandError(ErrorCode.CommandNotFound, 'no such command: empty command document');
  const name = aliases[first] ?? first;
  const handler = handlers.get(name);
  if (!handler) throw new CommandError(ErrorCode.CommandNotFound, `no such command: '${first}'`);
  return { name, handler };
}

/**
 * Runs one command and always answers: MongoDB errors become `ok: 0` replies, anything
 * unexpected becomes InternalError and is logged, never a crash.
 */
export async function runCommand(ctx: CommandContext): Promise<Document> {
  try {
    const { body } = ctx;
    if (ctx.engine.fatal) throw new CommandError(ErrorCode.InternalError, `the engine stopped after a storage failure: ${ctx.engine.fatal.message}`);
    const { name, handler } = lookupCommand(body);
    if (ctx.auth && !ctx.auth.user && !OPEN_COMMANDS.has(name)) throw new CommandError(ErrorCode.Unauthorized, `Command ${name} requires authentication`);
    if (body.txnNumber !== undefined || body.startTransaction !== undefined || body.autocommit !== undefined) transactionError();
    checkCommandOptions(name, body);
    rejectViewTarget(ctx.engine, ctx.db, name, body);
    const limit = readTimeLimit(name, body);
    const started = performance.now();
    const reply = await handler(ctx);
    enforceTimeLimit(limit, started, () => {
      const id = (reply.cursor as Document | undefined)?.id;
      if (id !== undefined) ctx.engine.cursors.kill(Number(id));
    });
    return reply;
  } catch (err) {
    if (err instanceof CommandError) return err.toReply();
    ctx.engine.logger.warn(`embedded-mongo: command ${Object.keys(ctx.body)[0]} failed: ${(err as Error)?.stack ?? String(err)}`);
    return new CommandError(ErrorCode.InternalError, (err as Error)?.message ?? String(err)).toReply();
  }
}
