// Loads a page's chunk on first use (dynamic import) and keeps it, so later visits render at once.
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ErrorNotice, Loading } from './components/States';

type Loader<M> = () => Promise<M>;
const loaded = new Map<Loader<unknown>, unknown>();

export function Lazy<M, P extends object>({ load, pick, props }: { load: Loader<M>; pick: (module: M) => ComponentType<P>; props: P }) {
  const [module, setModule] = useState<M | null>(() => (loaded.get(load) as M | undefined) ?? null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (module) return;
    let cancelled = false;
    load().then(
      (value) => {
        loaded.set(load, value);
        if (!cancelled) setModule(() => value);
      },
      (loadError: unknown) => {
        if (!cancelled) setError(loadError);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [load, module, attempt]);

  if (module) {
    const Page = pick(module);
    return <Page {...props} />;
  }
  if (error) {
    return (
      <ErrorNotice
        error={new Error('This page could not be loaded. Check your connection and try again.')}
        onRetry={() => {
          setError(null);
          setAttempt((value) => value + 1);
        }}
      />
    );
  }
  return <Loading />;
}
