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

/** Who will read a post in this group, in words, so the audience is never a surprise. */
export function audienceOf(group: Group): string {
  return group.visibility === 'closed' ? `Only members of ${group.name} will see it.` : `Everyone signed in can see it; visitors may see it on the homepage.`;
}

/** The last group chosen in this tab, offered again only while it is public: a closed group is always chosen on purpose. */
let lastChosen: string | null = null;

function FeedComposer({ groups, onPosted }: { groups: Group[]; onPosted: Parameters<typeof Composer>[0]['onPosted'] }) {
  const remembered = groups.find((group) => group.id === lastChosen && group.visibility === 'public');
  const [groupId, setGroupId] = useState(remembered?.id ?? '');
  const group = groups.find((candidate) => candidate.id === groupId) ?? null;
  const choose = (id: string) => {
    lastChosen = id || null;
    setGroupId(id);
  };
  return (
    <div class="feed-composer">
      <div class="composer-target">
        <label for="composer-group">Post in</label>
        <select id="composer-group" value={groupId} aria-describedby="composer-audience" onChange={(event) => choose(event.currentTarget.value)}>
          <option value="" disabled>
            Choose a group…
          </option>
          {groups.map((option) => (
            <option key={option.id} value={option.id}>
              {option.name}
              {option.visibility === 'closed' ? ' (closed: members only)' : ' (public)'}
            </option>
          ))}
        </select>
        <p id="composer-audience" class="composer-audience">
          {group ? audienceOf(group) : 'Choose where to post before writing.'}
        </p>
      </div>
      {group && <Composer groupId={group.id} label={`New post in ${group.name}`} placeholder={`Write to ${group.name}${group.visibility === 'closed' ? ' (members only)' : ''}…`} onPosted={onPosted} />}
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
