import type { Document } from './documents';

/**
 * Options for every mingo Query/Aggregator/update. mingo would run `$where`, `$function` and
 * `$accumulator` as JavaScript inside this process, which in-process means inside the web
 * server; mongod sandboxes such code, we refuse it.
 */
export const MINGO_OPTIONS = { scriptEnabled: false } as const;

/** MINGO_OPTIONS with a command's `let` variables, which `$$name` in `$expr` and pipelines reads. */
export function mingoOptions(variables: Document | undefined): typeof MINGO_OPTIONS & { variables?: Document } {
  return variables ? { ...MINGO_OPTIONS, variables } : MINGO_OPTIONS;
}
