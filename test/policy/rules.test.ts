// The policy's rules on their own: every viewer × action × group visibility, plus hidden and deleted posts.
import { expect } from 'chai';
import { Types } from 'mongoose';
import { accessFrom, decideGroup, decidePost, imagesLongLived, type Decision, type GroupAction, type PostAction, type PostRef } from '../../server/policy';
import type { GroupRole, MembershipState } from '../../server/models/membership';
import { viewerFromUser, type Viewer } from '../../server/policy/viewer';

type ViewerName = 'anonymous' | 'stranger' | 'pending' | 'invited' | 'member' | 'groupModerator' | 'owner' | 'siteModerator' | 'removed' | 'author';

const AUTHOR_ID = new Types.ObjectId();

function viewer(name: ViewerName): Viewer | null {
  if (name === 'anonymous') return null;
  const id = name === 'author' ? AUTHOR_ID : new Types.ObjectId();
  return viewerFromUser({ _id: id, roles: name === 'siteModerator' ? ['moderator'] : [] });
}

const MEMBERSHIP: Record<ViewerName, { status: MembershipState; role: GroupRole } | null> = {
  anonymous: null,
  stranger: null,
  pending: { status: 'pending', role: 'member' },
  invited: { status: 'invited', role: 'member' },
  member: { status: 'member', role: 'member' },
  groupModerator: { status: 'member', role: 'moderator' },
  owner: { status: 'member', role: 'owner' },
  siteModerator: null,
  removed: { status: 'removed', role: 'member' },
  author: { status: 'member', role: 'member' },
};

const LABEL: Record<ViewerName, string> = {
  anonymous: 'an anonymous visitor',
  stranger: 'a signed-in non-member',
  pending: 'a pending member',
  invited: 'an invited user',
  member: 'a member',
  groupModerator: 'a group moderator',
  owner: 'the group owner',
  siteModerator: 'a site moderator',
  removed: 'a removed member',
  author: 'the author (a member)',
};

const A = 'allow' as const;
const F = 'forbidden' as const;
const N = 'not_found' as const;
const NAMES: ViewerName[] = ['anonymous', 'stranger', 'pending', 'invited', 'member', 'groupModerator', 'owner', 'siteModerator', 'removed', 'author'];

function row(...decisions: Decision[]): Record<ViewerName, Decision> {
  return Object.fromEntries(NAMES.map((name, i) => [name, decisions[i]!])) as Record<ViewerName, Decision>;
}

//                          anon stranger pending invited member gmod owner sitemod removed author
const POST_TABLE: Record<'public' | 'closed', Record<PostAction, Record<ViewerName, Decision>>> = {
  public: {
    read: row(A, A, A, A, A, A, A, A, A, A),
    viewImages: row(A, A, A, A, A, A, A, A, A, A),
    reply: row(F, F, F, F, A, A, A, F, F, A),
    like: row(F, A, A, A, A, A, A, A, A, A),
    edit: row(F, F, F, F, F, F, F, F, F, A),
    delete: row(F, F, F, F, F, A, A, A, F, A),
  },
  closed: {
    read: row(N, N, N, N, A, A, A, A, N, A),
    viewImages: row(N, N, N, N, A, A, A, A, N, A),
    reply: row(N, N, N, N, A, A, A, F, N, A),
    like: row(N, N, N, N, A, A, A, F, N, A),
    edit: row(N, N, N, N, F, F, F, F, N, A),
    delete: row(N, N, N, N, F, A, A, A, N, A),
  },
};

const GROUP_TABLE: Record<'public' | 'closed', Record<GroupAction, Record<ViewerName, Decision>>> = {
  public: {
    view: row(N, A, A, A, A, A, A, A, A, A),
    read: row(A, A, A, A, A, A, A, A, A, A),
    subscribe: row(A, A, A, A, A, A, A, A, A, A),
    post: row(F, F, F, F, A, A, A, F, F, A),
    join: row(N, A, A, A, A, A, A, A, F, A),
    manage: row(F, F, F, F, F, A, A, F, F, F),
    update: row(F, F, F, F, F, F, A, F, F, F),
  },
  closed: {
    view: row(N, A, A, A, A, A, A, A, A, A),
    read: row(N, N, N, N, A, A, A, A, N, A),
    subscribe: row(N, N, N, N, A, A, A, A, N, A),
    post: row(N, N, N, N, A, A, A, F, N, A),
    join: row(N, A, A, A, A, A, A, A, F, A),
    manage: row(N, N, N, N, F, A, A, F, N, F),
    update: row(N, N, N, N, F, F, A, F, N, F),
  },
};

function say(decision: Decision): string {
  return decision === 'allow' ? 'may' : decision === 'forbidden' ? 'may not (403)' : 'cannot even see it to (404)';
}

function post(groupId: Types.ObjectId, overrides: Partial<PostRef> = {}): PostRef {
  return { _id: new Types.ObjectId(), groupId, authorId: AUTHOR_ID, parentId: null, hiddenAt: null, deletedAt: null, ...overrides };
}

describe('policy rules', () => {
  for (const visibility of ['public', 'closed'] as const) {
    const group = { _id: new Types.ObjectId(), visibility };

    describe(`a post in a ${visibility} group`, () => {
      for (const [action, decisions] of Object.entries(POST_TABLE[visibility]) as [PostAction, Record<ViewerName, Decision>][]) {
        for (const name of NAMES) {
          it(`${LABEL[name]} ${say(decisions[name])} ${action}`, () => {
            const access = accessFrom(viewer(name), group, MEMBERSHIP[name]);
            expect(decidePost(access, post(group._id), action)).to.equal(decisions[name]);
          });
        }
      }
    });

    describe(`a ${visibility} group`, () => {
      for (const [action, decisions] of Object.entries(GROUP_TABLE[visibility]) as [GroupAction, Record<ViewerName, Decision>][]) {
        for (const name of NAMES) {
          it(`${LABEL[name]} ${say(decisions[name])} ${action}`, () => {
            const access = accessFrom(viewer(name), group, MEMBERSHIP[name]);
            expect(decideGroup(access, action)).to.equal(decisions[name]);
          });
        }
      }
    });

    describe(`a hidden post in a ${visibility} group`, () => {
      const hidden = post(group._id, { hiddenAt: new Date() });
      const seesHidden: ViewerName[] = ['groupModerator', 'owner', 'siteModerator'];
      for (const name of NAMES) {
        const expected = seesHidden.includes(name) ? A : N;
        it(`${LABEL[name]} ${say(expected)} read it`, () => {
          expect(decidePost(accessFrom(viewer(name), group, MEMBERSHIP[name]), hidden, 'read')).to.equal(expected);
        });
      }
      it('takes no likes or replies, even from those who can see it', () => {
        for (const name of seesHidden) {
          const access = accessFrom(viewer(name), group, MEMBERSHIP[name]);
          expect(decidePost(access, hidden, 'like'), name).to.equal(F);
          expect(decidePost(access, hidden, 'reply'), name).to.equal(F);
        }
      });
      it('hides it from its own author', () => {
        expect(decidePost(accessFrom(viewer('author'), group, MEMBERSHIP.author), hidden, 'edit')).to.equal(N);
      });
    });

    describe(`a reply in a hidden thread in a ${visibility} group`, () => {
      const reply = post(group._id, { parentId: new Types.ObjectId(), parentHiddenAt: new Date() });
      const seesHidden: ViewerName[] = ['groupModerator', 'owner', 'siteModerator'];
      for (const name of NAMES) {
        const expected = seesHidden.includes(name) ? A : N;
        it(`${LABEL[name]} ${say(expected)} read it, as if it were hidden itself`, () => {
          const access = accessFrom(viewer(name), group, MEMBERSHIP[name]);
          expect(decidePost(access, reply, 'read')).to.equal(expected);
          expect(decidePost(access, reply, 'viewImages')).to.equal(expected);
        });
      }
      it('takes no likes, even from those who can see it, and its author can no longer edit it', () => {
        for (const name of seesHidden) expect(decidePost(accessFrom(viewer(name), group, MEMBERSHIP[name]), reply, 'like'), name).to.equal(F);
        expect(decidePost(accessFrom(viewer('author'), group, MEMBERSHIP.author), reply, 'edit')).to.equal(N);
      });
      it('gets no long-lived image URLs', () => {
        expect(imagesLongLived(group, reply)).to.equal(false);
      });
    });

    describe(`a deleted-post placeholder in a ${visibility} group`, () => {
      const placeholder = post(group._id, { deletedAt: new Date(), authorId: null });
      it('can still be read by readers (its replies hang under it) but not liked, replied to, edited or deleted', () => {
        const access = accessFrom(viewer('owner'), group, MEMBERSHIP.owner);
        expect(decidePost(access, placeholder, 'read')).to.equal(A);
        for (const action of ['like', 'reply', 'edit', 'delete'] as const) expect(decidePost(access, placeholder, action), action).to.equal(N);
      });
    });
  }

  it('allows replies to top-level posts only (one level of threading)', () => {
    const group = { _id: new Types.ObjectId(), visibility: 'public' };
    const access = accessFrom(viewer('member'), group, MEMBERSHIP.member);
    expect(decidePost(access, post(group._id, { parentId: new Types.ObjectId() }), 'reply')).to.equal(F);
  });

  it('lets image URLs live long only for what an anonymous visitor could see: public groups, posts not hidden', () => {
    const open = { _id: new Types.ObjectId(), visibility: 'public' };
    const closed = { _id: new Types.ObjectId(), visibility: 'closed' };
    expect(imagesLongLived(open, post(open._id))).to.equal(true);
    expect(imagesLongLived(open, post(open._id, { hiddenAt: new Date() }))).to.equal(false);
    expect(imagesLongLived(closed, post(closed._id))).to.equal(false);
  });
});
