// The only page visitors can read: the most recent public posts, live, and the ways in. The server renders it
// too (client/ssr.tsx), from the same public feed, and the browser hydrates that HTML.
import { useMemo, useState } from 'preact/hooks';
import type { PublicFeedPage } from '../../../shared/api';
import { api } from '../../api';
import { brand } from '../../brand';
import { Icon } from '../../components/Icon';
import { PostCard } from '../../components/PostCard';
import { Empty, PostList } from '../../components/PostList';
import { useTitle } from '../../components/Form';
import { plural } from '../../format';
import { takeInitialFeed } from '../../initial-data';
import { useLivePosts } from '../../live-posts';
import { useLocation } from '../../router';

const topLevel = (post: { parentId: string | null }) => post.parentId === null;
type GroupNames = PublicFeedPage['groups'];

export function VisitorHome() {
  useTitle('');
  const [initial] = useState(takeInitialFeed);
  const [groups, setGroups] = useState<GroupNames>(initial?.groups ?? []);
  const load = useMemo(
    () => () =>
      api.publicFeed().then((page) => {
        setGroups(page.groups);
        return page;
      }),
    [],
  );
  const posts = useLivePosts({ feed: 'public', load, accept: topLevel, initial });
  const groupName = useMemo(() => new Map(groups.map((group) => [group.id, group.name])), [groups]);
  const deleted = useLocation().search.get('deleted') === '1';
  return (
    <div class="page">
      {deleted && (
        <p class="notice notice-success" role="status">
          Your account has been deleted. Thank you for having been part of the forum.
        </p>
      )}
      <section class="hero">
        <h1>{brand().tagline}</h1>
        <p>
          Visitors can read the most recent posts from public groups below. Everything else (groups, replies, profiles and
          closed groups) is only for people with an account.
        </p>
        <div class="hero-actions">
          <a class="button button-primary" href="/signup">
            Create an account
          </a>
          <a class="button" href="/signin">
            Sign in
          </a>
        </div>
        <ul class="promises">
          <li>
            <Icon name="check" /> No cookies, no trackers
          </li>
          <li>
            <Icon name="lock" /> Closed groups stay closed
          </li>
          <li>
            <Icon name="download" /> Your data is yours to export or erase
          </li>
        </ul>
      </section>
      <div class="section-heading">
        <h2 class="section-title">Recent public posts</h2>
        <a class="section-action" href="/signin">
          Sign in to like and reply
        </a>
      </div>
      <PostList
        posts={posts}
        label="Recent public posts"
        empty={
          <Empty title="No public posts yet">
            <p>When members post in public groups, the latest posts appear here as they are written.</p>
          </Empty>
        }
        renderPost={(post, fresh) => (
          <PostCard post={post} linkAuthor={false} highlighted={fresh} groupLabel={groupName.has(post.groupId) ? `${groupName.get(post.groupId)} · ` : undefined}>
            <footer class="post-footer post-footer-static">
              <span class="stat" aria-label={plural(post.likeCount, 'like')}>
                <Icon name="heart" /> {post.likeCount}
              </span>
              <span class="stat" aria-label={plural(post.replyCount, 'reply', 'replies')}>
                <Icon name="reply" /> {post.replyCount}
              </span>
            </footer>
          </PostCard>
        )}
      />
    </div>
  );
}
