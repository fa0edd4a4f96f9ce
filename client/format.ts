// Times with one shared clock, so every relative timestamp on the page refreshes together; the words and
// formats are the translator's (the tab's language, the browser's time zone).
import { currentTranslator } from './i18n';
import { createStore, useStore } from './store';

const clock = createStore(Date.now());
const ticking = setInterval(() => clock.set(Date.now()), 30_000);
// Node (the server renderer) must not be kept running by the page's clock.
(ticking as { unref?: () => void }).unref?.();

export function useNow(): number {
  return useStore(clock);
}

/** Outside a component; inside one, `useT().relativeTime` re-renders when the language changes. */
export function relativeTime(iso: string, now: number): string {
  return currentTranslator().relativeTime(iso, now);
}

export function absoluteTime(iso: string): string {
  return currentTranslator().dateTimeOf(iso);
}

export function longDate(iso: string): string {
  return currentTranslator().dateOf(iso);
}

/**
 * English only, for pages whose words are not in the catalogue yet; new code uses an ICU
 * plural in the catalogue instead.
 */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
