// A tab list as the ARIA authoring practices describe it: one tab in the Tab order, arrow keys, Home and End move between tabs.
import { useRef } from 'preact/hooks';

export interface TabsProps<T extends string> {
  label: string;
  tabs: readonly { value: T; label: string }[];
  selected: T;
  onSelect: (value: T) => void;
  /** Gives each tab the id `<idPrefix>-<value>`, for a tab panel's aria-labelledby. */
  idPrefix?: string;
}

export function Tabs<T extends string>({ label, tabs, selected, onSelect, idPrefix }: TabsProps<T>) {
  const list = useRef<HTMLDivElement>(null);
  const move = (event: KeyboardEvent, index: number) => {
    const last = tabs.length - 1;
    const forward = index === last ? 0 : index + 1;
    const back = index === 0 ? last : index - 1;
    // Right-to-left, the next tab is the one on the left.
    const rtl = list.current ? getComputedStyle(list.current).direction === 'rtl' : false;
    const next = { ArrowRight: rtl ? back : forward, ArrowLeft: rtl ? forward : back, Home: 0, End: last }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    onSelect(tabs[next]!.value);
    list.current?.querySelectorAll<HTMLButtonElement>('[role="tab"]')[next]?.focus();
  };
  return (
    <div class="tabs" role="tablist" aria-label={label} ref={list}>
      {tabs.map((tab, index) => (
        <button
          key={tab.value}
          id={idPrefix ? `${idPrefix}-${tab.value}` : undefined}
          type="button"
          role="tab"
          class="tab"
          aria-selected={tab.value === selected}
          tabIndex={tab.value === selected ? 0 : -1}
          onClick={() => onSelect(tab.value)}
          onKeyDown={(event) => move(event, index)}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}
