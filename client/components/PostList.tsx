// Renders a live post list: skeleton while loading, a designed empty state, the "new posts" pill and paging.
import type { ComponentChildren } from 'preact';
import { useRef } from 'preact/hooks';
import type { Post } from '../../shared/api';
import type { LivePosts } from '../live-posts';
import { Icon } from './Icon';
import { Empty, ErrorNotice, PostSkeleton } from './States';
import { useT } from '../i18n';

export interface PostListProps {
  posts: LivePosts;
  renderPost: (post: Post, fresh: boolean) => ComponentChildren;
  empty: ComponentChildren;
  label: string;
  /** Shown below a fully loaded list; empty for none. */
  endText?: string;
}

export function PostList({ posts, renderPost, empty, label, endText }: PostListProps) {
  const top = useRef<HTMLDivElement>(null);
  const t = useT();
  const end = endText ?? t.t('common.posts.caughtUp');
  if (posts.status === 'loading') return <PostSkeleton />;
  if (posts.status === 'error') return <ErrorNotice error={posts.error} onRetry={posts.retry} />;

  const showNew = () => {
    posts.showPending();
    top.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
    top.current?.focus({ preventScroll: true });
  };

  return (
    <section class="post-list" aria-label={label}>
      <div ref={top} tabIndex={-1} class="post-list-top" />
      {posts.pending.length > 0 && (
        <div class="pill-holder">
          <button type="button" class="pill" onClick={showNew} aria-live="polite">
            <Icon name="arrowUp" />
            {t.t('common.posts.newPosts', { count: posts.pending.length })}
          </button>
        </div>
      )}
      {posts.items.length === 0 && posts.pending.length === 0 ? (
        empty
      ) : (
        <div class="post-items">{posts.items.map((post) => <div key={post.id}>{renderPost(post, posts.fresh.has(post.id))}</div>)}</div>
      )}
      {posts.hasMore && (
        <div class="load-more">
          <button type="button" class="button" onClick={posts.loadMore} disabled={posts.loadingMore}>
            {t.t(posts.loadingMore ? 'common.loading' : 'common.posts.older')}
          </button>
        </div>
      )}
      {!posts.hasMore && posts.items.length > 0 && end && <p class="list-end">{end}</p>}
    </section>
  );
}

export { Empty };
