// Writing a post or a reply: formatted text, image attachments with previews and upload progress.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Post } from '../../../shared/api';
import { api } from '../../api';
import { Icon } from '../../components/Icon';
import { FormError } from '../../components/States';
import { Editor } from './Editor';
import { draftKey, loadDraft, saveDraft } from '../../drafts';
import { guardLeaving } from '../../leave-guard';
import { MentionCompletion } from './MentionCompletion';
import { editorHtml } from './rich-text';
import { currentTranslator, useT } from '../../i18n';

const MAX_IMAGES = 4;
const MAX_IMAGE_BYTES = 10 * 1024 * 1024;

interface Attachment {
  file: File;
  preview: string;
}

export interface ComposerProps {
  groupId: string;
  parentId?: string | null;
  label?: string;
  placeholder?: string;
  onPosted: (post: Post) => void;
}

export function Composer({ groupId, parentId = null, label: givenLabel, placeholder: givenPlaceholder, onPosted }: ComposerProps) {
  const t = useT();
  const label = givenLabel ?? t.t('member.composer.newPost');
  const placeholder = givenPlaceholder ?? t.t('member.composer.placeholder');
  const editor = useRef<HTMLDivElement | null>(null);
  const key = draftKey(groupId, parentId);
  const keyRef = useRef(key);
  keyRef.current = key;
  useEffect(() => guardLeaving(() => (loadDraft(keyRef.current) ? currentTranslator().t('member.composer.unsent') : null), 'tab'), []);
  const fileInput = useRef<HTMLInputElement>(null);
  const [empty, setEmpty] = useState(true);
  const [attachments, setAttachments] = useState<Attachment[]>([]);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [editorKey, setEditorKey] = useState(0);
  const busy = progress !== null;

  const attached = useRef(attachments);
  attached.current = attachments;
  useEffect(() => () => attached.current.forEach((attachment) => URL.revokeObjectURL(attachment.preview)), []);

  const addFiles = (files: FileList | null) => {
    if (!files) return;
    const chosen = Array.from(files);
    const tooBig = chosen.find((file) => file.size > MAX_IMAGE_BYTES);
    if (tooBig) {
      setError(new Error(t.t('member.composer.tooBig', { name: tooBig.name, megabytes: MAX_IMAGE_BYTES / 1024 / 1024 })));
      return;
    }
    const room = MAX_IMAGES - attachments.length;
    if (chosen.length > room) setError(new Error(t.t('member.composer.tooMany', { count: MAX_IMAGES })));
    else setError(null);
    setAttachments((list) => [...list, ...chosen.slice(0, room).map((file) => ({ file, preview: URL.createObjectURL(file) }))]);
    if (fileInput.current) fileInput.current.value = '';
  };

  const submit = async () => {
    if (busy || !editor.current || (empty && attachments.length === 0)) return;
    setError(null);
    setProgress(0);
    try {
      const body = editorHtml(editor.current);
      const post = await api.createPost(groupId, body, attachments.map((attachment) => attachment.file), parentId, setProgress);
      setAttachments([]);
      saveDraft(key, '');
      setEditorKey((value) => value + 1);
      setEmpty(true);
      onPosted(post);
    } catch (postError) {
      setError(postError);
    } finally {
      setProgress(null);
    }
  };

  const inputId = `composer-images-${parentId ?? groupId}`;
  return (
    <form
      class="card composer"
      aria-label={label}
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <Editor
        key={`${key}:${editorKey}`}
        label={label}
        placeholder={placeholder}
        initialHtml={loadDraft(key)}
        editorRef={editor}
        onChange={(isEmpty) => {
          setEmpty(isEmpty);
          if (editor.current) saveDraft(key, isEmpty ? '' : editorHtml(editor.current));
        }}
        onSubmit={() => void submit()}
        disabled={busy}
      />
      <MentionCompletion key={`${key}:${editorKey}`} groupId={groupId} editorRef={editor} />
      {attachments.length > 0 && (
        <ul class="attachments" aria-label={t.t('member.composer.attached')}>
          {attachments.map((attachment, index) => (
            <li key={attachment.preview}>
              <img src={attachment.preview} alt={t.t('member.composer.attachedAlt', { index: index + 1, name: attachment.file.name })} />
              <button
                type="button"
                class="attachment-remove"
                aria-label={t.t('member.composer.remove', { name: attachment.file.name })}
                disabled={busy}
                onClick={() => {
                  URL.revokeObjectURL(attachment.preview);
                  setAttachments((list) => list.filter((item) => item !== attachment));
                }}
              >
                <Icon name="x" />
              </button>
            </li>
          ))}
        </ul>
      )}
      {progress !== null && attachments.length > 0 && (
        <div class="upload-progress">
          <label for={`${inputId}-progress`}>{t.t('member.composer.uploading', { progress })}</label>
          <progress id={`${inputId}-progress`} max={1} value={progress} />
        </div>
      )}
      <FormError error={error} />
      <div class="composer-actions">
        <input ref={fileInput} id={inputId} class="visually-hidden" type="file" accept="image/*" multiple disabled={busy || attachments.length >= MAX_IMAGES} onChange={(event) => addFiles(event.currentTarget.files)} />
        <label for={inputId} class={`button button-quiet${attachments.length >= MAX_IMAGES ? ' button-disabled' : ''}`}>
          <Icon name="image" /> <span>{t.t('member.composer.addImages')}</span>
        </label>
        <span class="composer-hint">{t.t('member.composer.hint')}</span>
        <button type="submit" class="button button-primary" disabled={busy || (empty && attachments.length === 0)}>
          {t.t(busy ? 'member.composer.posting' : parentId ? 'member.composer.reply' : 'member.composer.post')}
        </button>
      </div>
    </form>
  );
}
