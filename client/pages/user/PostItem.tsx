// A post with everything the signed-in viewer may do to it: like, reply, edit, delete, report, hide.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Me, Post } from '../../../shared/api';
import { api } from '../../api';
import { useAction } from '../../components/Form';
import { Icon } from '../../components/Icon';
import { PostCard } from '../../components/PostCard';
import { FormError } from '../../components/States';
import { currentTranslator, useT } from '../../i18n';
import { Editor } from './Editor';
import { useGroup } from './groups-cache';
import { guardLeaving } from '../../leave-guard';
import { editorHtml } from './rich-text';

export interface PostItemProps {
  post: Post;
  me: Me;
  fresh?: boolean;
  showGroup?: boolean;
  /** On a post's own page the reply link would point at itself. */
  linkReplies?: boolean;
  onChange: (post: Post) => void;
  onRemove: (id: string) => void;
}

function GroupLabel({ id }: { id: string }) {
  const group = useGroup(id);
  if (!group) return null;
  return (
    <>
      <a href={`/groups/${group.id}`}>
        {group.visibility === 'closed' && <Icon name="lock" />}
        <bdi>{group.name}</bdi>
      </a>
      {' · '}
    </>
  );
}

type Panel = null | 'edit' | 'report' | 'hide';

export function PostItem({ post, me, fresh, showGroup = true, linkReplies = true, onChange, onRemove }: PostItemProps) {
  const [panel, setPanel] = useState<Panel>(null);
  const t = useT();
  const { busy, error, run, setError } = useAction();
  const [notice, setNotice] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const editor = useRef<HTMLDivElement | null>(null);
  const [editEmpty, setEditEmpty] = useState(false);
  const menu = useRef<HTMLDetailsElement>(null);
  const [menuOpen, setMenuOpen] = useState(false);
  const editBaseline = useRef<string | null>(null);
  // A layout effect: its listeners are in place when the open menu is first painted. A plain effect runs a
  // frame later, and an Escape pressed in that frame (a quick keyboard user; a loaded machine) left it open.
  useLayoutEffect(() => {
    if (!menuOpen) return;
    // A menu closes the way menus do: Escape (focus back on its button) or a click anywhere else.
    const close = (refocus: boolean) => {
      if (menu.current) menu.current.open = false;
      if (refocus) menu.current?.querySelector('summary')?.focus();
    };
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && close(true);
    const onPointer = (event: PointerEvent) => !menu.current?.contains(event.target as Node) && close(false);
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [menuOpen]);
  useEffect(() => {
    if (panel !== 'edit') return;
    editBaseline.current = null;
    return guardLeaving(() => (editor.current && editBaseline.current !== null && editorHtml(editor.current) !== editBaseline.current ? currentTranslator().t('member.post.discard') : null), 'page');
  }, [panel]);
  const mine = post.author?.id === me.id;
  const can = post.can;

  const toggleLike = async () => {
    const before = post;
    const liked = !post.likedByMe;
    // Optimistic: the count moves at once and is corrected by the server's answer (or rolled back).
    onChange({ ...post, likedByMe: liked, likeCount: Math.max(0, post.likeCount + (liked ? 1 : -1)) });
    try {
      const state = liked ? await api.like(post.id) : await api.unlike(post.id);
      onChange({ ...before, ...state });
    } catch (likeError) {
      onChange(before);
      setError(likeError);
    }
  };

  const open = (next: Panel) => {
    if (menu.current) menu.current.open = false;
    setError(null);
    setNotice(null);
    setReason('');
    setPanel(next);
  };

  const saveEdit = () =>
    run(async () => {
      if (!editor.current) return;
      onChange(await api.editPost(post.id, editorHtml(editor.current)));
      setPanel(null);
    });

  const remove = () => {
    if (menu.current) menu.current.open = false;
    if (!confirm(t.t(mine ? 'member.post.confirmDeleteMine' : 'member.post.confirmDelete'))) return;
    void run(async () => {
      await api.deletePost(post.id);
      onRemove(post.id);
    });
  };

  const sendReport = () =>
    run(async () => {
      await api.report(post.id, reason.trim());
      setPanel(null);
      setNotice(t.t('member.post.reported'));
    });

  const hide = () =>
    run(async () => {
      await api.hidePost(post.id, reason.trim());
      setPanel(null);
      onRemove(post.id);
    });

  const restore = () =>
    run(async () => {
      await api.restorePost(post.id);
      // Asked again rather than guessed: what the viewer may do now comes from the server.
      onChange(await api.post(post.id));
      setNotice(t.t('member.post.restored'));
    });

  const name = post.author?.displayName ?? t.t('member.post.deletedAuthor');
  return (
    <PostCard post={post} linkAuthor highlighted={fresh} groupLabel={showGroup ? <GroupLabel id={post.groupId} /> : undefined}>
      {can.restore && (
        <div class="hidden-mark" role="note">
          <span>
            <Icon name="alert" /> {t.t('member.post.hidden')}
          </span>
          <button type="button" class="button button-small" onClick={() => void restore()} disabled={busy}>
            {t.t('member.post.restore')}
          </button>
        </div>
      )}
      {panel === 'edit' && (
        <div class="post-panel">
          <Editor
            label={t.t('member.post.editLabel')}
            placeholder={t.t('member.post.placeholder')}
            initialHtml={post.body}
            editorRef={editor}
            onChange={(isEmpty) => {
              // The first call comes from mounting: what the editor made of the body is the unchanged state.
              if (editBaseline.current === null && editor.current) editBaseline.current = editorHtml(editor.current);
              setEditEmpty(isEmpty);
            }} onSubmit={() => void saveEdit()} disabled={busy} />
          <div class="panel-actions">
            <button type="button" class="button button-quiet" onClick={() => setPanel(null)} disabled={busy}>
              {t.t('common.action.cancel')}
            </button>
            <button type="button" class="button button-primary" onClick={() => void saveEdit()} disabled={busy || editEmpty}>
              {t.t(busy ? 'common.action.saving' : 'member.post.saveChanges')}
            </button>
          </div>
        </div>
      )}
      {(panel === 'report' || panel === 'hide') && (
        <form
          class="post-panel"
          onSubmit={(event) => {
            event.preventDefault();
            void (panel === 'report' ? sendReport() : hide());
          }}
        >
          <label for={`reason-${post.id}`}>{t.t(panel === 'report' ? 'member.post.reportReason' : 'member.post.hideReason')}</label>
          <textarea id={`reason-${post.id}`} dir="auto" rows={2} required value={reason} onInput={(event) => setReason(event.currentTarget.value)} />
          <div class="panel-actions">
            <button type="button" class="button button-quiet" onClick={() => setPanel(null)} disabled={busy}>
              {t.t('common.action.cancel')}
            </button>
            <button type="submit" class={`button ${panel === 'hide' ? 'button-danger' : 'button-primary'}`} disabled={busy || !reason.trim()}>
              {t.t(panel === 'report' ? 'member.post.sendReport' : 'member.post.hide')}
            </button>
          </div>
        </form>
      )}
      <FormError error={error} />
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <footer class="post-footer">
        <button
          type="button"
          disabled={!can.like && !post.likedByMe}
          class={`action like${post.likedByMe ? ' liked' : ''}`}
          aria-pressed={post.likedByMe}
          aria-label={t.t(post.likedByMe ? 'member.post.unlikeLabel' : 'member.post.likeLabel', { name, count: post.likeCount })}
          onClick={() => void toggleLike()}
        >
          <Icon name="heart" filled={post.likedByMe} /> <span class="like-count">{t.number(post.likeCount)}</span>
        </button>
        {linkReplies ? (
          <a class="action" href={`/posts/${post.id}`} aria-label={t.t('member.post.repliesLink', { count: post.replyCount })}>
            <Icon name="reply" /> <span>{t.number(post.replyCount)}</span>
          </a>
        ) : (
          <span class="action action-static" aria-label={t.t('common.stats.replies', { count: post.replyCount })}>
            <Icon name="reply" /> <span>{t.number(post.replyCount)}</span>
          </span>
        )}
        <details class="menu" ref={menu} onToggle={(event) => setMenuOpen(event.currentTarget.open)}>
          <summary class="action" role="button" aria-expanded={menuOpen} aria-haspopup="true" aria-label={t.t('member.post.more', { name })}>
            <Icon name="more" />
          </summary>
          <div class="menu-items">
            {can.edit && (
              <button type="button" onClick={() => open('edit')}>
                {t.t('member.post.edit')}
              </button>
            )}
            {can.report && (
              <button type="button" onClick={() => open('report')}>
                {t.t('member.post.report')}
              </button>
            )}
            {can.hide && (
              <button type="button" onClick={() => open('hide')}>
                {t.t('member.post.hideModerator')}
              </button>
            )}
            {can.delete && (
              <button type="button" class="danger" onClick={remove}>
                {t.t('common.action.delete')}
              </button>
            )}
          </div>
        </details>
      </footer>
    </PostCard>
  );
}
