// A small rich-text editor: an editable area with a toolbar; keyboard shortcuts (Ctrl+B, Ctrl+I) work natively.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { Icon } from '../../components/Icon';
import { editorIsEmpty } from './rich-text';

interface Tool {
  label: string;
  text: ComponentChildren;
  run: () => void;
}

function exec(command: string, value?: string): void {
  // execCommand is deprecated but remains the only built-in way to format a selection in an editable area.
  document.execCommand(command, false, value);
}

const TOOLS: Tool[] = [
  { label: 'Bold', text: 'B', run: () => exec('bold') },
  { label: 'Italic', text: 'I', run: () => exec('italic') },
  {
    label: 'Link',
    text: <Icon name="link" />,
    run: () => {
      const url = prompt('Link address (https://…)');
      if (url && /^(https?:\/\/|mailto:)/i.test(url.trim())) exec('createLink', url.trim());
    },
  },
  { label: 'Bulleted list', text: '•', run: () => exec('insertUnorderedList') },
  { label: 'Numbered list', text: '1.', run: () => exec('insertOrderedList') },
  { label: 'Quote', text: '❝', run: () => exec('formatBlock', 'blockquote') },
  { label: 'Code block', text: '</>', run: () => exec('formatBlock', 'pre') },
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
      <div class="editor-toolbar" role="toolbar" aria-label={`Formatting for ${label.toLowerCase()}`}>
        {TOOLS.map((tool) => (
          <button
            type="button"
            key={tool.label}
            class="tool"
            aria-label={tool.label}
            title={tool.label}
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
