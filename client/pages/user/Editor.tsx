// A small rich-text editor: an editable area with a toolbar; keyboard shortcuts (Ctrl+B, Ctrl+I) work natively.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { Icon } from '../../components/Icon';
import { editorIsEmpty } from './rich-text';
import type { ClientMessageKey } from '../../../shared/i18n/catalogues';
import { currentTranslator, useT } from '../../i18n';

interface Tool {
  label: ClientMessageKey;
  text: ComponentChildren;
  run: () => void;
}

function exec(command: string, value?: string): void {
  // execCommand is deprecated but remains the only built-in way to format a selection in an editable area.
  document.execCommand(command, false, value);
}

const TOOLS: Tool[] = [
  { label: 'member.editor.bold', text: 'B', run: () => exec('bold') },
  { label: 'member.editor.italic', text: 'I', run: () => exec('italic') },
  {
    label: 'member.editor.link',
    text: <Icon name="link" />,
    run: () => {
      const url = prompt(currentTranslator().t('member.editor.linkPrompt'));
      if (url && /^(https?:\/\/|mailto:)/i.test(url.trim())) exec('createLink', url.trim());
    },
  },
  { label: 'member.editor.bullets', text: '•', run: () => exec('insertUnorderedList') },
  { label: 'member.editor.numbers', text: '1.', run: () => exec('insertOrderedList') },
  { label: 'member.editor.quote', text: '❝', run: () => exec('formatBlock', 'blockquote') },
  { label: 'member.editor.code', text: '</>', run: () => exec('formatBlock', 'pre') },
];

export interface EditorProps {
  label: string;
  placeholder: string;
  initialHtml?: string;
  editorRef: { current: HTMLDivElement | null };
  onChange: (empty: boolean) => void;
  onSubmit: () => void;
  disabled?: boolean;
}

export function Editor({ label, placeholder, initialHtml = '', editorRef, onChange, onSubmit, disabled }: EditorProps) {
  const local = useRef<HTMLDivElement>(null);
  const t = useT();
  const [empty, setEmpty] = useState(initialHtml === '');

  useEffect(() => {
    const element = local.current!;
    editorRef.current = element;
    element.innerHTML = initialHtml;
    exec('defaultParagraphSeparator', 'p');
    const isEmpty = editorIsEmpty(element);
    setEmpty(isEmpty);
    onChange(isEmpty);
    // initialHtml is read once on mount: later renders must not clobber what the person typed.
  }, []);

  const changed = () => {
    const isEmpty = editorIsEmpty(local.current);
    setEmpty(isEmpty);
    onChange(isEmpty);
  };

  return (
    <div class={`editor${disabled ? ' editor-disabled' : ''}`}>
      <div class="editor-toolbar" role="toolbar" aria-label={t.t('member.editor.toolbar', { label: label.toLocaleLowerCase(t.language) })}>
        {TOOLS.map((tool) => (
          <button
            type="button"
            key={tool.label}
            class="tool"
            aria-label={t.t(tool.label)}
            title={t.t(tool.label)}
            disabled={disabled}
            // Keep the selection in the editable area while clicking the toolbar.
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => {
              local.current?.focus();
              tool.run();
              changed();
            }}
          >
            {tool.text}
          </button>
        ))}
      </div>
      <div
        ref={local}
        class="editor-area"
        // A post may be in another language than the interface: the writing sets its direction.
        dir="auto"
        contentEditable={!disabled}
        role="textbox"
        aria-multiline="true"
        aria-label={label}
        data-placeholder={placeholder}
        data-empty={empty ? 'true' : undefined}
        tabIndex={0}
        onInput={changed}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
            event.preventDefault();
            onSubmit();
          }
        }}
      />
    </div>
  );
}
