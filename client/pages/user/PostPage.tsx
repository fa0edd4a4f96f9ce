// One conversation: the post, its replies oldest first (live), and a reply composer for members.
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Post } from '../../../shared/api';
import { api, ApiError } from '../../api';
import { useTitle } from '../../components/Form';
import { Empty, PostList } from '../../components/PostList';
import { ErrorNotice, Loading } from '../../components/States';
import { onLive } from '../../live';
import { useLivePosts } from '../../live-posts';
import { navigate } from '../../router';
import { useMe } from '../../session';
import { Composer } from './Composer';
import { PostItem } from './PostItem';
import { useGroup } from './groups-cache';
import { useT } from '../../i18n';

function Replies({ post, onReplied }: { post: Post; onReplied: () => void }) {
  const me = useMe();
  const group = useGroup(post.groupId);
  const load = useCallback((cursor: string | null) => api.replies(post.id, { cursor }), [post.id]);
  const accept = useCallback((reply: Post) => reply.parentId === post.id, [post.id]);
  const replies = useLivePosts({ feed: `group:${post.groupId}`, load, accept, order: 'oldest' });
  const member = post.can.reply;
  const t = useT();
  return (
    <section aria-labelledby="replies-title" class="replies">
      <h2 id="replies-title" class="section-title">
        {t.t('member.replies.title')}
      </h2>
      <PostList
        posts={replies}
        label={t.t('member.replies.title')}
        endText=""
        empty={
          <Empty icon="reply" title={t.t('member.replies.none')}>
            <p>{t.t(member ? 'member.replies.beFirst' : 'member.replies.willAppear')}</p>
          </Empty>
        }
        renderPost={(reply, fresh) => <PostItem post={reply} me={me} fresh={fresh} showGroup={false} linkReplies={false} onChange={replies.replace} onRemove={replies.remove} />}
      />
      {member && (
        <Composer
          groupId={post.groupId}
          parentId={post.id}
          label={t.t('member.composer.reply')}
          placeholder={t.t('member.replies.placeholder')}
          onPosted={(reply) => {
            replies.add(reply);
            onReplied();
          }}
        />
      )}
      {group && !member && (
        <p class="card callout">
          {t.rich('member.replies.joinToReply', {
            group: group.name,
            link: (chunks) => (
              <a href={`/groups/${group.id}`} dir="auto">
                {chunks}
              </a>
            ),
          })}
        </p>
      )}
    </section>
  );
}

export function PostPage({ id }: { id: string }) {
  const me = useMe();
  const [post, setPost] = useState<Post | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const [gone, setGone] = useState(false);
  const t = useT();
  useTitle(post ? t.t('common.picker.postLabel', { author: post.author?.displayName ?? t.t('common.deletedAccount'), text: post.bodyText.slice(0, 40) }) : t.t('member.composer.post'));

  useEffect(() => {
    let cancelled = false;
    setError(null);
    setGone(false);
    api.post(id).then(
      (value) => !cancelled && setPost(value),
      (loadError: unknown) => !cancelled && setError(loadError),
    );
    return () => {
      cancelled = true;
    };
  }, [id, attempt]);

  useEffect(() => {
    const offUpdate = onLive('post:update', (updated) => updated.id === id && setPost((current) => (current ? { ...updated, likedByMe: current.likedByMe, can: current.can } : current)));
    const offLike = onLive('like:update', ({ postId, likeCount }) => postId === id && setPost((current) => (current ? { ...current, likeCount } : current)));
    const offDelete = onLive('post:delete', (deleted) => deleted.id === id && setGone(true));
    return () => {
      offUpdate();
      offLike();
      offDelete();
    };
  }, [id]);

  if (gone || (error instanceof ApiError && error.status === 404)) {
    return (
      <div class="page page-narrow">
        <Empty title={t.t(gone ? 'member.postPage.removed' : 'member.postPage.notFound')}>
          <p>{t.t(gone ? 'member.postPage.removedBody' : 'member.postPage.notFoundBody')}</p>
          <a class="button" href="/home">
            {t.t('common.action.backToFeed')}
          </a>
        </Empty>
      </div>
    );
  }
  if (error) return <ErrorNotice error={error} onRetry={() => setAttempt((value) => value + 1)} />;
  if (!post || post.id !== id) return <Loading label={t.t('member.postPage.loading')} />;

  return (
    <div class="page">
      {/* The card shows the author; the heading names the page for screen readers and the outline. */}
      <h1 class="visually-hidden">
        {t.t(post.parentId ? 'member.postPage.replyBy' : 'member.postPage.postBy', { name: post.author?.displayName ?? t.t('member.post.deletedAuthor') })}
      </h1>
      {post.parentId && (
        <p class="breadcrumb">
          <a href={`/posts/${post.parentId}`}>
            <span class="arrow-back" aria-hidden="true">
              ←
            </span>{' '}
            {t.t('member.postPage.parent')}
          </a>
        </p>
      )}
      <PostItem post={post} me={me} linkReplies={false} onChange={setPost} onRemove={() => navigate('/home', { replace: true })} />
      {/* The count is asked for, not added to: the live update for the same reply may already have raised it. */}
      <Replies key={post.id} post={post} onReplied={() => void api.post(post.id).then(setPost, () => undefined)} />
    </div>
  );
}
