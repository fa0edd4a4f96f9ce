// The signed-in home: a composer for the groups the viewer belongs to and the live home feed.
import { useEffect, useState } from 'preact/hooks';
import type { Group } from '../../../shared/api';
import { api } from '../../api';
import { useTitle } from '../../components/Form';
import { Empty, PostList } from '../../components/PostList';
import { useLivePosts } from '../../live-posts';
import { useMe } from '../../session';
import { Composer } from './Composer';
import { PostItem } from './PostItem';
import { rememberGroup } from './groups-cache';

const loadFeed = (cursor: string | null) => api.feed({ cursor });
const topLevel = (post: { parentId: string | null }) => post.parentId === null;

/** The groups the viewer may post in, read from the directory (which carries `myStatus`). */
function useMyGroups(): Group[] | null {
  const [groups, setGroups] = useState<Group[] | null>(null);
  useEffect(() => {
    let cancelled = false;
    const collect = async () => {
      const mine: Group[] = [];
      let cursor: string | null = null;
      // Directory pages are small; a handful of pages covers anyone's memberships.
      for (let page = 0; page < 5; page++) {
        const result = await api.groups({ cursor, limit: 50 });
        for (const group of result.items) {
          rememberGroup(group);
          if (group.can.post) mine.push(group);
        }
        cursor = result.nextCursor;
        if (!cursor) break;
      }
      return mine;
    };
    collect().then(
      (mine) => !cancelled && setGroups(mine),
      () => !cancelled && setGroups([]),
    );
    return () => {
      cancelled = true;
    };
  }, []);
  return groups;
}

function FeedComposer({ groups, onPosted }: { groups: Group[]; onPosted: Parameters<typeof Composer>[0]['onPosted'] }) {
  const [groupId, setGroupId] = useState(groups[0]!.id);
  return (
    <div class="feed-composer">
      <div class="composer-target">
        <label for="composer-group">Post in</label>
        <select id="composer-group" value={groupId} onChange={(event) => setGroupId(event.currentTarget.value)}>
          {groups.map((group) => (
            <option key={group.id} value={group.id}>
              {group.name}
              {group.visibility === 'closed' ? ' (closed)' : ''}
            </option>
          ))}
        </select>
      </div>
      <Composer groupId={groupId} onPosted={onPosted} />
    </div>
  );
}

export function HomeFeed() {
  useTitle('Your feed');
  const me = useMe();
  const groups = useMyGroups();
  const posts = useLivePosts({ feed: 'home', load: loadFeed, accept: topLevel });

  return (
    <div class="page">
      <h1 class="page-title">Your feed</h1>
      {groups && groups.length > 0 && <FeedComposer groups={groups} onPosted={posts.add} />}
      {groups && groups.length === 0 && (
        <div class="card callout">
          <p>
            <strong>Join a group to start posting.</strong> Your feed shows public groups and the groups you belong to.
          </p>
          <a class="button button-primary" href="/groups">
            Browse groups
          </a>
        </div>
      )}
      <PostList
        posts={posts}
        label="Your feed"
        empty={
          <Empty title="Your feed is quiet">
            <p>Posts from public groups and your groups appear here as they are written.</p>
            <a class="button" href="/groups">
              Find groups
            </a>
          </Empty>
        }
        renderPost={(post, fresh) => <PostItem post={post} me={me} fresh={fresh} onChange={posts.replace} onRemove={posts.remove} />}
      />
    </div>
  );
}
