/**
 * Options for every mingo Query/Aggregator/update. mingo would run `$where`, `$function` and
 * `$accumulator` as JavaScript inside this process, which in-process means inside the web
 * server; mongod sandboxes such code, we refuse it.
 */
export const MINGO_OPTIONS = { scriptEnabled: false } as const;
