// A post list that loads page by page and stays live: new posts wait behind a pill instead of moving the page.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Page, Post } from '../shared/api';
import type { FeedName, LivePost } from '../shared/events';
import { api } from './api';
import { follow, onLive } from './live';

export interface LivePostsOptions {
  feed: FeedName | null;
  load: (cursor: string | null) => Promise<Page<Post>>;
  /** Whether a live `post:new` belongs in this list. */
  accept: (post: Post) => boolean;
  /** Replies read oldest first, so new ones append at the bottom where they do not move anything. */
  order?: 'newest' | 'oldest';
  /** A first page already at hand (the server-rendered homepage's), shown at once instead of loading it. */
  initial?: Page<Post> | null;
}

export interface LivePosts {
  status: 'loading' | 'ready' | 'error';
  error: unknown;
  items: Post[];
  pending: Post[];
  hasMore: boolean;
  loadingMore: boolean;
  /** Ids that arrived live, so the view can mark them. */
  fresh: Set<string>;
  retry(): void;
  loadMore(): void;
  showPending(): void;
  /** The viewer's own new post goes straight in. */
  add(post: Post): void;
  replace(post: Post): void;
  remove(id: string): void;
}

/** A broadcast copy cannot say whether this viewer liked the post or what they may do with it; keep what we know. */
function replaceIn(list: Post[], post: LivePost | Post): Post[] {
  let changed = false;
  const next = list.map((item) => {
    if (item.id !== post.id) return item;
    changed = true;
    return { ...post, likedByMe: item.likedByMe, can: 'can' in post ? post.can : item.can };
  });
  return changed ? next : list;
}

/** Oldest first, by time and then id (ids grow with time), whatever order live copies arrived in. */
function inOrder(list: Post[]): Post[] {
  return [...list].sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? -1 : 1) : a.createdAt < b.createdAt ? -1 : 1));
}

/** Until the server says what the viewer may do with a post first seen live, nothing is offered. */
const NOT_YET_KNOWN: Post['can'] = { edit: false, delete: false, reply: false, like: false, report: false, hide: false, restore: false };

export function useLivePosts({ feed, load, accept, order = 'newest', initial = null }: LivePostsOptions): LivePosts {
  const [status, setStatus] = useState<LivePosts['status']>(initial ? 'ready' : 'loading');
  const [error, setError] = useState<unknown>(null);
  const [items, setItems] = useState<Post[]>(initial?.items ?? []);
  const [pending, setPending] = useState<Post[]>([]);
  const [cursor, setCursor] = useState<string | null>(initial?.nextCursor ?? null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const [attempt, setAttempt] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const acceptRef = useRef(accept);
  acceptRef.current = accept;
  const known = useRef(new Set<string>(initial?.items.map((post) => post.id)));
  const hasInitial = useRef(initial !== null);
  const loaded = useRef(initial !== null);
  const cursorRef = useRef<string | null>(initial?.nextCursor ?? null);

  /** Asked only for posts the viewer is shown, so one broadcast does not turn into a request from every reader. */
  const askPermissions = useCallback((posts: Post[]) => {
    for (const post of posts) {
      api.post(post.id).then(
        (full) => setItems((list) => list.map((item) => (item.id === full.id ? { ...item, can: full.can, likedByMe: full.likedByMe } : item))),
        () => undefined,
      );
    }
  }, []);

  useEffect(() => {
    if (hasInitial.current) {
      hasInitial.current = false;
      return;
    }
    let cancelled = false;
    setStatus('loading');
    setItems([]);
    setPending([]);
    known.current = new Set();
    loaded.current = false;
    loadRef.current(null).then(
      (page) => {
        if (cancelled) return;
        for (const post of page.items) known.current.add(post.id);
        const inPage = new Set(page.items.map((post) => post.id));
        // What arrived live while the page was loading is either in it or newer than all of it.
        setItems((early) => (order === 'oldest' && page.nextCursor === null ? inOrder([...page.items, ...early.filter((post) => !inPage.has(post.id))]) : page.items));
        setPending((early) => early.filter((post) => !inPage.has(post.id)));
        setCursor(page.nextCursor);
        cursorRef.current = page.nextCursor;
        loaded.current = true;
        setStatus('ready');
      },
      (loadError: unknown) => {
        if (cancelled) return;
        setError(loadError);
        setStatus('error');
      },
    );
    return () => {
      cancelled = true;
    };
  }, [feed, attempt]);

  useEffect(() => {
    if (!feed) return;
    const unfollow = follow(feed);
    const offNew = onLive('post:new', (live) => {
      const post: Post = { ...live, likedByMe: false, can: NOT_YET_KNOWN };
      if (known.current.has(post.id) || !acceptRef.current(post)) return;
      if (order === 'oldest') {
        // Older ones are still to be loaded: this one comes with the last page, in its place.
        if (loaded.current && cursorRef.current !== null) return;
        known.current.add(post.id);
        setFresh((previous) => new Set(previous).add(post.id));
        setItems((list) => (list.some((item) => item.id === post.id) ? list : inOrder([...list, post])));
        askPermissions([post]);
        return;
      }
      known.current.add(post.id);
      setFresh((previous) => new Set(previous).add(post.id));
      setPending((list) => [post, ...list]);
    });
    const offUpdate = onLive('post:update', (post) => {
      setItems((list) => replaceIn(list, post));
      setPending((list) => replaceIn(list, post));
    });
    const offDelete = onLive('post:delete', ({ id }) => {
      setItems((list) => list.filter((post) => post.id !== id));
      setPending((list) => list.filter((post) => post.id !== id));
    });
    const offLike = onLive('like:update', ({ postId, likeCount }) => {
      const apply = (list: Post[]) => (list.some((post) => post.id === postId) ? list.map((post) => (post.id === postId ? { ...post, likeCount } : post)) : list);
      setItems(apply);
      setPending(apply);
    });
    return () => {
      offNew();
      offUpdate();
      offDelete();
      offLike();
      unfollow();
    };
  }, [feed, order]);

  const loadMore = useCallback(() => {
    if (!cursor || loadingMore) return;
    setLoadingMore(true);
    loadRef.current(cursor).then(
      (page) => {
        const unseen = page.items.filter((post) => !known.current.has(post.id));
        for (const post of unseen) known.current.add(post.id);
        setItems((list) => [...list, ...unseen]);
        setCursor(page.nextCursor);
        cursorRef.current = page.nextCursor;
        setLoadingMore(false);
      },
      (loadError: unknown) => {
        setError(loadError);
        setLoadingMore(false);
      },
    );
  }, [cursor, loadingMore]);

  return {
    status,
    error,
    items,
    pending,
    hasMore: cursor !== null,
    loadingMore,
    fresh,
    retry: () => setAttempt((value) => value + 1),
    loadMore,
    showPending: () => {
      setItems((list) => [...pending, ...list]);
      askPermissions(pending);
      setPending([]);
    },
    add(post) {
      // The live copy of one's own post can arrive before the HTTP answer and wait behind the pill: the
      // author must still see it at once, in the list.
      known.current.add(post.id);
      setPending((list) => list.filter((item) => item.id !== post.id));
      setItems((list) => {
        if (list.some((item) => item.id === post.id)) return replaceIn(list, post);
        return order === 'oldest' ? inOrder([...list, post]) : [post, ...list];
      });
    },
    replace(post) {
      setItems((list) => list.map((item) => (item.id === post.id ? post : item)));
    },
    remove(id) {
      setItems((list) => list.filter((post) => post.id !== id));
      setPending((list) => list.filter((post) => post.id !== id));
    },
  };
}
