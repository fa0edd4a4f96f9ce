// Loads a page's chunk on first use (dynamic import) and keeps it, so later visits render at once.
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ErrorNotice, Loading } from './components/States';
import { currentTranslator } from './i18n';

type Loader<M> = () => Promise<M>;
const loaded = new Map<Loader<unknown>, unknown>();

export function Lazy<M, P extends object>({ load, pick, props }: { load: Loader<M>; pick: (module: M) => ComponentType<P>; props: P }) {
  // Kept with the loader it came from: navigating between pages of different chunks re-renders this same
  // component with another loader, whose module must not be taken from the previous chunk.
  const [state, setState] = useState<{ load: Loader<unknown>; module: M } | null>(() => (loaded.has(load) ? { load, module: loaded.get(load) as M } : null));
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const module = state?.load === load ? state.module : ((loaded.get(load) as M | undefined) ?? null);

  useEffect(() => {
    if (module) return;
    let cancelled = false;
    load().then(
      (value) => {
        loaded.set(load, value);
        if (!cancelled) setState({ load, module: value });
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
        error={new Error(currentTranslator().t('common.error.pageLoad'))}
        onRetry={() => {
          setError(null);
          setAttempt((value) => value + 1);
        }}
      />
    );
  }
  return <Loading />;
}
