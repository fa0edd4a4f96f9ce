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

function Replies({ post, onReplied }: { post: Post; onReplied: () => void }) {
  const me = useMe();
  const group = useGroup(post.groupId);
  const load = useCallback((cursor: string | null) => api.replies(post.id, { cursor }), [post.id]);
  const accept = useCallback((reply: Post) => reply.parentId === post.id, [post.id]);
  const replies = useLivePosts({ feed: `group:${post.groupId}`, load, accept, order: 'oldest' });
  const member = post.can.reply;
  return (
    <section aria-labelledby="replies-title" class="replies">
      <h2 id="replies-title" class="section-title">
        Replies
      </h2>
      <PostList
        posts={replies}
        label="Replies"
        endText=""
        empty={
          <Empty icon="reply" title="No replies yet">
            <p>{member ? 'Be the first to reply.' : 'Replies will appear here as they are written.'}</p>
          </Empty>
        }
        renderPost={(reply, fresh) => <PostItem post={reply} me={me} fresh={fresh} showGroup={false} linkReplies={false} onChange={replies.replace} onRemove={replies.remove} />}
      />
      {member && (
        <Composer
          groupId={post.groupId}
          parentId={post.id}
          label="Reply"
          placeholder="Write a reply…"
          onPosted={(reply) => {
            replies.add(reply);
            onReplied();
          }}
        />
      )}
      {group && !member && <p class="card callout">Join <a href={`/groups/${group.id}`}>{group.name}</a> to reply.</p>}
    </section>
  );
}

export function PostPage({ id }: { id: string }) {
  const me = useMe();
  const [post, setPost] = useState<Post | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const [gone, setGone] = useState(false);
  useTitle(post ? `${post.author?.displayName ?? 'Deleted account'}: ${post.bodyText.slice(0, 40)}` : 'Post');

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
        <Empty title={gone ? 'This post was removed' : 'Post not found'}>
          <p>{gone ? 'It was deleted or hidden while you were reading.' : 'There is no such post, or it is not visible to you.'}</p>
          <a class="button" href="/home">
            Back to your feed
          </a>
        </Empty>
      </div>
    );
  }
  if (error) return <ErrorNotice error={error} onRetry={() => setAttempt((value) => value + 1)} />;
  if (!post || post.id !== id) return <Loading label="Loading post…" />;

  return (
    <div class="page">
      {/* The card shows the author; the heading names the page for screen readers and the outline. */}
      <h1 class="visually-hidden">
        {post.parentId ? 'Reply' : 'Post'} by {post.author?.displayName ?? 'a deleted account'}
      </h1>
      {post.parentId && (
        <p class="breadcrumb">
          <a href={`/posts/${post.parentId}`}>← The post this replies to</a>
        </p>
      )}
      <PostItem post={post} me={me} linkReplies={false} onChange={setPost} onRemove={() => navigate('/home', { replace: true })} />
      {/* The count is asked for, not added to: the live update for the same reply may already have raised it. */}
      <Replies key={post.id} post={post} onReplied={() => void api.post(post.id).then(setPost, () => undefined)} />
    </div>
  );
}
