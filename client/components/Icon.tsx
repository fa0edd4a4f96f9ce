// A handful of line icons drawn inline (no icon font, no extra request), always decorative: controls carry their own names.
const PATHS = {
  heart: 'M12 20.5s-7.5-4.6-7.5-10.1A4.4 4.4 0 0 1 12 7.6a4.4 4.4 0 0 1 7.5 2.8c0 5.5-7.5 10.1-7.5 10.1z',
  reply: 'M10 8V4.5L3.5 11 10 17.5V14c4.5 0 7.6 1.3 10.5 5-1-5.2-4-10.2-10.5-11z',
  image: 'M4 5h16v14H4zM4 16l5-5 4 4 2.5-2.5L20 17M15.5 9.5h.01',
  lock: 'M6 11h12v9H6zM8.5 11V8a3.5 3.5 0 0 1 7 0v3',
  globe: 'M12 3.5a8.5 8.5 0 1 0 0 17 8.5 8.5 0 0 0 0-17zM3.5 12h17M12 3.5c2.4 2.6 3.5 5.4 3.5 8.5s-1.1 5.9-3.5 8.5c-2.4-2.6-3.5-5.4-3.5-8.5s1.1-5.9 3.5-8.5z',
  users: 'M9 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7zM2.5 20c.6-3.6 3.2-5.5 6.5-5.5s5.9 1.9 6.5 5.5M16 4.3a3.5 3.5 0 0 1 0 6.4M18 14.8c2 .7 3.2 2.4 3.5 5.2',
  more: 'M5 12h.01M12 12h.01M19 12h.01',
  arrowUp: 'M12 19V5M5.5 11.5 12 5l6.5 6.5',
  shield: 'M12 3 4.5 6v5.5c0 4.6 3.2 8.2 7.5 9.5 4.3-1.3 7.5-4.9 7.5-9.5V6z',
  inbox: 'M3.5 13.5 6 5h12l2.5 8.5V19h-17zM3.5 13.5H9a3 3 0 0 0 6 0h5.5',
  alert: 'M12 4 2.8 19.5h18.4zM12 10v4.5M12 17.2h.01',
  check: 'M5 12.5l4.5 4.5L19 7.5',
  x: 'M6 6l12 12M18 6 6 18',
  home: 'M3.5 11 12 4l8.5 7M6 9.5V20h12V9.5',
  user: 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4.5 20.5c.8-4 3.6-6 7.5-6s6.7 2 7.5 6',
  key: 'M14.5 3.5a6 6 0 0 0-5.7 7.9L3.5 16.7V20.5h3.8v-2h2v-2h2l1.3-1.3a6 6 0 1 0 1.9-11.7zM16.5 7.5h.01',
  link: 'M10 14a4.5 4.5 0 0 0 6.4 0l3-3a4.5 4.5 0 0 0-6.4-6.4l-1 1M14 10a4.5 4.5 0 0 0-6.4 0l-3 3a4.5 4.5 0 0 0 6.4 6.4l1-1',
  download: 'M12 4v11M7 10.5 12 15.5l5-5M4.5 19.5h15',
  bell: 'M6 16.5V11a6 6 0 0 1 12 0v5.5l1.5 2h-15zM10 20.5a2 2 0 0 0 4 0',
} as const;

export type IconName = keyof typeof PATHS;

/** Icons that point along the line of text: mirrored right-to-left (styles.css), as the reading direction is. */
const DIRECTIONAL: ReadonlySet<IconName> = new Set(['reply']);

export function Icon({ name, filled = false }: { name: IconName; filled?: boolean }) {
  return (
    <svg class={`icon${filled ? ' icon-filled' : ''}${DIRECTIONAL.has(name) ? ' icon-directional' : ''}`} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d={PATHS[name]} />
    </svg>
  );
}
