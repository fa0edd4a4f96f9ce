import { collationFor } from '../collation';
import { isPlainObject, type Document } from '../documents';
import { badValue, CommandError, ErrorCode } from '../errors';
import { parseSort } from '../planner/planner';
import { collectionArg, docArg, intArg, nonNegativeIntArg, type CommandContext, type CommandHandler } from './context';
import { explainAggregate } from './aggregate';
import { explainQuery, runQuery, type QuerySpec } from './query';
import { findSpec } from './read';
import { isView } from './views';

const VERBOSITIES = new Set(['queryPlanner', 'executionStats', 'allPlansExecution']);

export const explainCommands: Record<string, CommandHandler> = {
  explain: (ctx) => {
    const inner = ctx.body.explain;
    if (!isPlainObject(inner)) throw new CommandError(ErrorCode.TypeMismatch, 'explain command requires a nested object');
    const verbosity = typeof ctx.body.verbosity === 'string' ? ctx.body.verbosity : 'allPlansExecution';
    if (!VERBOSITIES.has(verbosity)) throw badValue(`verbosity string must be one of {'queryPlanner', 'executionStats', 'allPlansExecution'}`);
    const innerCtx: CommandContext = { ...ctx, body: inner };
    const name = Object.keys(inner)[0];
    if (typeof inner[name] === 'string' && isView(ctx.engine, ctx.db, inner[name])) {
      throw new CommandError(ErrorCode.NotImplemented, 'explain of a command on a view is not supported by the embedded engine');
    }
    switch (name) {
      case 'find': {
        const { name: coll, filter, skip, limit } = findSpec(innerCtx);
        return explainFor(innerCtx, coll, { filter, sort: parseSort(inner.sort), skip, limit, hint: inner.hint }, verbosity);
      }
      case 'count': {
        const coll = collectionArg(inner, 'count');
        const limit = intArg(inner, 'limit');
        return explainFor(innerCtx, coll, { filter: docArg(inner, 'query') ?? {}, sort: [], skip: nonNegativeIntArg(inner, 'skip'), limit: limit ? Math.abs(limit) : undefined, hint: inner.hint }, verbosity);
      }
      case 'distinct':
        return explainFor(innerCtx, collectionArg(inner, 'distinct'), { filter: docArg(inner, 'query') ?? {}, sort: [] }, verbosity);
      case 'aggregate':
        return explainAggregate(innerCtx, verbosity, inner);
      default:
        throw new CommandError(ErrorCode.IllegalOperation, `explain is not supported for '${name}' by the embedded engine`);
    }
  },
};

function explainFor(ctx: CommandContext, collName: string, spec: QuerySpec, verbosity: string): Document {
  const ns = `${ctx.db}.${collName}`;
  const coll = ctx.engine.catalog.get(ctx.db, collName);
  if (!coll) {
    return {
      queryPlanner: { namespace: ns, parsedQuery: spec.filter, winningPlan: { stage: 'EOF' }, rejectedPlans: [] },
      ...(verbosity !== 'queryPlanner' ? { executionStats: { executionSuccess: true, nReturned: 0, executionTimeMillis: 0, totalKeysExamined: 0, totalDocsExamined: 0 } } : {}),
      ok: 1,
    };
  }
  const collated = { ...spec, collation: collationFor(ctx.body.collation, coll.info.options) };
  return explainQuery(ns, runQuery(coll, collated), collated, verbosity, ctx.body);
}
