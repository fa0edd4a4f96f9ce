// Choosing a person, post or group from a search field (the site search, so only what the chooser may read),
// instead of pasting an id. A pasted id or page address is still accepted as it is.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Group, Post, PublicUser } from '../../shared/api';
import { api } from '../api';
import { currentTranslator, useT } from '../i18n';

export type PickKind = 'people' | 'posts' | 'groups';

export interface Picked {
  id: string;
  label: string;
}

/** A bare id or a page address (…/users/<id>, …/posts/<id>, …/groups/<id>) names its target directly. */
export function idFromInput(value: string): string | null {
  const id = value.trim().replace(/^.*\/(posts|users|groups)\//, '').replace(/[/?#].*$/, '');
  return /^[0-9a-f]{24}$/i.test(id) ? id.toLowerCase() : null;
}

function labelOf(kind: PickKind, item: PublicUser | Post | Group): string {
  if (kind === 'people') return (item as PublicUser).displayName;
  if (kind === 'groups') return (item as Group).name;
  const post = item as Post;
  return currentTranslator().t('common.picker.postLabel', { author: post.author?.displayName ?? currentTranslator().t('common.deletedAccount'), text: post.bodyText.slice(0, 80) });
}

export interface PickerProps {
  id: string;
  label: string;
  kind: PickKind;
  picked: Picked | null;
  onPick: (picked: Picked | null) => void;
  describedBy?: string;
  invalid?: boolean;
}

/** A combobox (ARIA 1.2 pattern): type to search, arrows to move, Enter to choose, Escape to close. */
export function Picker({ id, label, kind, picked, onPick, describedBy, invalid }: PickerProps) {
  const [text, setText] = useState(picked?.label ?? '');
  const [options, setOptions] = useState<Picked[]>([]);
  const [active, setActive] = useState(0);
  const [open, setOpen] = useState(false);
  const asked = useRef(0);
  const t = useT();

  useEffect(() => {
    if (!picked) return;
    setText(picked.label);
  }, [picked]);

  useEffect(() => {
    const q = text.trim();
    if (!open || q.length < 2 || idFromInput(q)) {
      setOptions([]);
      return;
    }
    const ticket = ++asked.current;
    const timer = setTimeout(() => {
      api.search(q, kind, { limit: 8 }).then(
        (page) => {
          if (ticket !== asked.current) return;
          setOptions(page.items.map((item) => ({ id: item.id, label: labelOf(kind, item) })));
          setActive(0);
        },
        () => ticket === asked.current && setOptions([]),
      );
    }, 150);
    return () => clearTimeout(timer);
  }, [text, kind, open]);

  const choose = (option: Picked) => {
    onPick(option);
    setText(option.label);
    setOpen(false);
    setOptions([]);
  };

  const listId = `${id}-options`;
  const showing = open && options.length > 0;
  return (
    <div class="picker">
      <input
        id={id}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={showing}
        aria-controls={listId}
        aria-activedescendant={showing ? `${listId}-${active}` : undefined}
        aria-describedby={describedBy}
        aria-invalid={invalid}
        autocomplete="off"
        value={text}
        placeholder={t.t(kind === 'people' ? 'common.picker.people' : kind === 'groups' ? 'common.picker.groups' : 'common.picker.posts')}
        onInput={(event) => {
          const value = event.currentTarget.value;
          setText(value);
          setOpen(true);
          const direct = idFromInput(value);
          onPick(direct ? { id: direct, label: value.trim() } : null);
        }}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' && options.length) {
            event.preventDefault();
            setOpen(true);
            setActive((index) => Math.min(index + 1, options.length - 1));
          } else if (event.key === 'ArrowUp' && options.length) {
            event.preventDefault();
            setActive((index) => Math.max(index - 1, 0));
          } else if (event.key === 'Enter' && showing) {
            event.preventDefault();
            choose(options[active]!);
          } else if (event.key === 'Escape') setOpen(false);
        }}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
      />
      <ul id={listId} role="listbox" aria-label={label} class="picker-options" hidden={!showing}>
        {options.map((option, index) => (
          <li
            key={option.id}
            id={`${listId}-${index}`}
            role="option"
            aria-selected={index === active}
            class={index === active ? 'active' : undefined}
            dir="auto"
            onMouseDown={(event) => {
              event.preventDefault();
              choose(option);
            }}
          >
            {option.label}
          </li>
        ))}
      </ul>
    </div>
  );
}
