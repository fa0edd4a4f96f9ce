// How a post looks everywhere; what a viewer may do with it is passed in as children by the signed-in pages.
import type { ComponentChildren } from 'preact';
import type { Post } from '../../shared/api';
import { Avatar } from './Avatar';
import { Time } from './Time';

export interface PostCardProps {
  post: Post;
  /** Profiles are for signed-in users only, so visitors see names without links. */
  linkAuthor: boolean;
  groupLabel?: ComponentChildren;
  children?: ComponentChildren;
  highlighted?: boolean;
}

export function PostCard({ post, linkAuthor, groupLabel, children, highlighted }: PostCardProps) {
  const name = post.author?.displayName ?? 'Deleted account';
  return (
    <article class={`card post${highlighted ? ' post-new' : ''}`} aria-label={`Post by ${name}`} data-post-id={post.id}>
      <header class="post-header">
        <Avatar user={post.author} />
        <div class="post-meta">
          {post.author && linkAuthor ? (
            <a class="post-author" href={`/users/${post.author.id}`}>
              {name}
            </a>
          ) : (
            <span class="post-author">{name}</span>
          )}
          <span class="post-sub">
            {groupLabel && <span class="post-group">{groupLabel}</span>}
            <Time iso={post.createdAt} />
            {post.editedAt && <span class="post-edited"> · edited</span>}
          </span>
        </div>
      </header>
      <div class="post-body" dangerouslySetInnerHTML={{ __html: post.body }} />
      {post.images.length > 0 && (
        <div class={`post-images post-images-${Math.min(post.images.length, 4)}`}>
          {post.images.map((image, index) => (
            <a href={image.url} target="_blank" rel="noopener" key={image.url} class="post-image-link">
              <img
                src={post.images.length > 1 ? image.thumbnailUrl : image.url}
                // Thumbnails in a grid are soft on 2x screens: the browser picks the large version where it needs it.
                srcSet={post.images.length > 1 ? `${image.thumbnailUrl} 320w, ${image.url} 1280w` : undefined}
                sizes={post.images.length > 1 ? '(max-width: 700px) 50vw, 320px' : undefined}
                width={image.width}
                height={image.height}
                loading="lazy"
                decoding="async"
                alt={`Image ${index + 1} of ${post.images.length} attached by ${name}`}
              />
            </a>
          ))}
        </div>
      )}
      {children}
    </article>
  );
}
