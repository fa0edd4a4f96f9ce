// `@` completion in the composer: typing @ and the start of a name offers the people who may read the group
// (GET /api/groups/:id/mentionable); arrow keys move, Enter or Tab picks, Escape closes. A pick becomes
// `<a data-mention="<id>">@Name</a>`, which the server turns into a profile link and a notification.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { PublicUser } from '../../../shared/api';
import { api } from '../../api';
import { Avatar } from '../../components/Avatar';
import { useT } from '../../i18n';

const TRIGGER = /(?:^|\s)@([\p{L}\p{N}_.'-]{0,30})$/u;

interface Query {
  text: string;
  node: Text;
  /** Where the `@` is in the text node. */
  start: number;
  end: number;
}

/** The `@name` being typed just before the caret, if any. */
function currentQuery(): Query | null {
  const selection = window.getSelection();
  if (!selection || !selection.isCollapsed || selection.rangeCount === 0) return null;
  const node = selection.anchorNode;
  if (!node || node.nodeType !== Node.TEXT_NODE || node.parentElement?.closest('a')) return null;
  const before = (node.textContent ?? '').slice(0, selection.anchorOffset);
  const match = TRIGGER.exec(before);
  if (!match) return null;
  return { text: match[1]!, node: node as Text, start: selection.anchorOffset - match[1]!.length - 1, end: selection.anchorOffset };
}

export function MentionCompletion({ groupId, editorRef }: { groupId: string; editorRef: { current: HTMLDivElement | null } }) {
  const [people, setPeople] = useState<PublicUser[]>([]);
  const [active, setActive] = useState(0);
  const query = useRef<Query | null>(null);
  const state = useRef({ people, active });
  state.current = { people, active };
  const t = useT();
  const idRef = useRef(`mentions-${Math.random().toString(36).slice(2, 10)}`);

  const close = () => {
    query.current = null;
    setPeople([]);
    editorRef.current?.removeAttribute('aria-activedescendant');
  };

  const pick = (person: PublicUser) => {
    const found = query.current;
    const editor = editorRef.current;
    if (!found || !editor) return;
    const range = document.createRange();
    range.setStart(found.node, found.start);
    range.setEnd(found.node, found.end);
    range.deleteContents();
    const link = document.createElement('a');
    link.setAttribute('data-mention', person.id);
    link.textContent = `@${person.displayName}`;
    const space = document.createTextNode('\u00a0');
    range.insertNode(space);
    range.insertNode(link);
    const selection = window.getSelection();
    selection?.removeAllRanges();
    const after = document.createRange();
    after.setStart(space, 1);
    selection?.addRange(after);
    close();
    editor.dispatchEvent(new Event('input', { bubbles: true }));
  };

  useEffect(() => {
    const editor = editorRef.current;
    if (!editor) return;
    editor.setAttribute('aria-autocomplete', 'list');
    let timer: ReturnType<typeof setTimeout> | undefined;
    let asked = 0;

    const onInput = () => {
      const found = currentQuery();
      query.current = found;
      clearTimeout(timer);
      if (!found) return close();
      timer = setTimeout(() => {
        const ticket = ++asked;
        api.mentionable(groupId, found.text).then(
          (page) => {
            if (ticket !== asked || !query.current) return;
            setPeople(page.items);
            setActive(0);
          },
          () => setPeople([]),
        );
      }, 120);
    };

    // Capture, so Enter and the arrows choose here before the editor acts on them.
    const onKeyDown = (event: KeyboardEvent) => {
      const { people: shown, active: current } = state.current;
      if (!shown.length) return;
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        setActive((current + (event.key === 'ArrowDown' ? 1 : shown.length - 1)) % shown.length);
      } else if (event.key === 'Enter' || event.key === 'Tab') {
        event.preventDefault();
        event.stopImmediatePropagation();
        pick(shown[current]!);
      } else if (event.key === 'Escape') {
        event.preventDefault();
        close();
      }
    };

    editor.addEventListener('input', onInput);
    editor.addEventListener('keydown', onKeyDown, true);
    const onBlur = () => setTimeout(close, 150);
    editor.addEventListener('blur', onBlur);
    return () => {
      clearTimeout(timer);
      editor.removeEventListener('blur', onBlur);
      editor.removeEventListener('input', onInput);
      editor.removeEventListener('keydown', onKeyDown, true);
    };
  }, [groupId]);

  useEffect(() => {
    const editor = editorRef.current;
    if (!editor) return;
    if (people.length) {
      editor.setAttribute('aria-controls', idRef.current);
      editor.setAttribute('aria-activedescendant', `${idRef.current}-${active}`);
    } else {
      editor.removeAttribute('aria-activedescendant');
    }
  }, [people, active]);

  if (!people.length) return null;
  return (
    <ul class="mention-list" role="listbox" id={idRef.current} aria-label={t.t('member.mentions.label')}>
      {people.map((person, index) => (
        <li
          key={person.id}
          id={`${idRef.current}-${index}`}
          role="option"
          aria-selected={index === active}
          class={index === active ? 'mention-option mention-active' : 'mention-option'}
          // Keep the caret in the editor while choosing with the mouse.
          onMouseDown={(event) => {
            event.preventDefault();
            pick(person);
          }}
        >
          <Avatar user={person} /> <bdi>{person.displayName}</bdi>
        </li>
      ))}
    </ul>
  );
}
