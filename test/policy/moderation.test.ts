// The moderation rules as decisions on access facts: no HTTP in between.
import { expect } from 'chai';
import { Types } from 'mongoose';
import { Forbidden } from '../../server/errors';
import {
  accessFrom,
  authorizeHoldRelease,
  authorizeRemoval,
  authorizeSiteModeration,
  authorizeSuspension,
  decideGroupModeration,
  decideReport,
  inReviewScope,
  moderatorReadTouchesContent,
  requireModeratorReadReason,
  reviewScope,
  type GroupAccess,
  type Viewer,
} from '../../server/policy';
import type { GroupRole, MembershipState } from '../../server/models/membership';
import { buildGroup } from '../support/content';
import { resetDatabase } from '../support/database';
import { buildUser } from '../support/factories';

function viewer(roles: Viewer['roles'] = []): Viewer {
  const _id = new Types.ObjectId();
  return { id: String(_id), _id, roles };
}

const groupId = new Types.ObjectId();
function access(who: Viewer | null, visibility: 'public' | 'closed', membership: { status: MembershipState; role: GroupRole } | null = null): GroupAccess {
  return accessFrom(who, { _id: groupId, visibility }, membership);
}
const member = { status: 'member' as const, role: 'member' as const };
const groupModerator = { status: 'member' as const, role: 'moderator' as const };
const owner = { status: 'member' as const, role: 'owner' as const };

function post(overrides: { hiddenAt?: Date | null; deletedAt?: Date | null } = {}) {
  return { _id: new Types.ObjectId(), groupId, authorId: new Types.ObjectId(), parentId: null, hiddenAt: null, deletedAt: null, ...overrides };
}

describe('policy: moderation', () => {
  describe('decideReport', () => {
    it('anyone signed in who can read the post may report it', () => {
      expect(decideReport(access(viewer(), 'public'), post())).to.equal('allow');
      expect(decideReport(access(viewer(), 'closed', member), post())).to.equal('allow');
    });

    it('not anonymous visitors, outsiders of closed groups, hidden posts for non-moderators, or deleted placeholders', () => {
      expect(decideReport(access(null, 'public'), post())).to.equal('not_found');
      expect(decideReport(access(viewer(), 'closed'), post())).to.equal('not_found');
      expect(decideReport(access(viewer(), 'closed', { status: 'pending', role: 'member' }), post())).to.equal('not_found');
      expect(decideReport(access(viewer(), 'public', member), post({ hiddenAt: new Date() }))).to.equal('not_found');
      expect(decideReport(access(viewer(), 'public'), post({ deletedAt: new Date() }))).to.equal('not_found');
    });
  });

  describe('decideGroupModeration', () => {
    it('allows site moderators anywhere and the group’s owner and moderators', () => {
      expect(decideGroupModeration(access(viewer(['moderator']), 'closed'), post())).to.equal('allow');
      expect(decideGroupModeration(access(viewer(['admin']), 'closed'), post({ hiddenAt: new Date() }))).to.equal('allow');
      expect(decideGroupModeration(access(viewer(), 'closed', owner), post())).to.equal('allow');
      expect(decideGroupModeration(access(viewer(), 'public', groupModerator), null)).to.equal('allow');
    });

    it('forbids those who can see the content, hides it from those who cannot', () => {
      expect(decideGroupModeration(access(viewer(), 'public', member), post())).to.equal('forbidden');
      expect(decideGroupModeration(access(viewer(), 'public'), null)).to.equal('forbidden');
      expect(decideGroupModeration(access(viewer(), 'closed', member), post())).to.equal('forbidden');
      expect(decideGroupModeration(access(viewer(), 'closed'), post())).to.equal('not_found');
      expect(decideGroupModeration(access(viewer(), 'closed'), null)).to.equal('not_found');
      // A member must not learn that a hidden post exists.
      expect(decideGroupModeration(access(viewer(), 'public', member), post({ hiddenAt: new Date() }))).to.equal('not_found');
    });
  });

  describe('authorizeRemoval', () => {
    const target = (membership: { status: MembershipState; role: GroupRole }) => ({ userId: new Types.ObjectId(), membership });

    it('the owner neither leaves nor is removed', () => {
      const me = viewer();
      expect(() => authorizeRemoval(access(me, 'public', owner), { userId: me._id, membership: owner })).to.throw(Forbidden, /cannot leave/);
      expect(() => authorizeRemoval(access(viewer(), 'public', groupModerator), target(owner))).to.throw(Forbidden, /cannot be removed/);
    });

    it('group moderators remove members, requests and invitations; only the owner removes a group moderator', () => {
      const moderatorAccess = access(viewer(), 'closed', groupModerator);
      expect(() => authorizeRemoval(moderatorAccess, target(member))).not.to.throw();
      expect(() => authorizeRemoval(moderatorAccess, target({ status: 'pending', role: 'member' }))).not.to.throw();
      expect(() => authorizeRemoval(moderatorAccess, target({ status: 'invited', role: 'member' }))).not.to.throw();
      expect(() => authorizeRemoval(moderatorAccess, target(groupModerator))).to.throw(Forbidden, /Only the owner/);
      expect(() => authorizeRemoval(access(viewer(), 'closed', owner), target(groupModerator))).not.to.throw();
    });

    it('anyone but the owner may leave, group moderators included', () => {
      for (const membership of [member, groupModerator, { status: 'pending' as const, role: 'member' as const }]) {
        const me = viewer();
        expect(() => authorizeRemoval(access(me, 'closed', membership), { userId: me._id, membership })).not.to.throw();
      }
    });
  });

  describe('authorizeSuspension', () => {
    const target = (membership: { status: MembershipState; role: GroupRole } | null) => ({ userId: new Types.ObjectId(), membership });

    it('never the owner, never oneself', () => {
      expect(() => authorizeSuspension(access(viewer(['moderator']), 'public'), target(owner))).to.throw(Forbidden, /owner/);
      const me = viewer();
      expect(() => authorizeSuspension(access(me, 'public', owner), { userId: me._id, membership: owner })).to.throw(Forbidden, /yourself/);
    });

    it('group moderators suspend members and strangers, not other group moderators', () => {
      const moderatorAccess = access(viewer(), 'public', groupModerator);
      expect(() => authorizeSuspension(moderatorAccess, target(member))).not.to.throw();
      expect(() => authorizeSuspension(moderatorAccess, target(null))).not.to.throw();
      expect(() => authorizeSuspension(moderatorAccess, target(groupModerator))).to.throw(Forbidden);
      expect(() => authorizeSuspension(access(viewer(), 'public', owner), target(groupModerator))).not.to.throw();
      expect(() => authorizeSuspension(access(viewer(['moderator']), 'public'), target(groupModerator))).not.to.throw();
    });
  });

  describe('site-wide powers', () => {
    it('holds, disclosures and the audit log are for site moderators only', () => {
      for (const action of ['hold', 'disclose', 'audit'] as const) {
        expect(() => authorizeSiteModeration(viewer(['moderator']), action)).not.to.throw();
        expect(() => authorizeSiteModeration(viewer(['admin']), action)).not.to.throw();
        expect(() => authorizeSiteModeration(viewer(), action)).to.throw(Forbidden);
      }
    });

    it('releasing a hold takes an admin', () => {
      expect(() => authorizeHoldRelease(viewer(['admin']))).not.to.throw();
      expect(() => authorizeHoldRelease(viewer(['moderator']))).to.throw(Forbidden, /admin/);
    });
  });

  describe('moderator reads', () => {
    const read = (action: string, reason: string | null) => ({ viewer: viewer(['moderator']), groupId, postId: null, action, reason });

    it('a content read needs a reason', () => {
      expect(() => requireModeratorReadReason(read('read', null))).to.throw(Forbidden, /reason is required/);
      expect(requireModeratorReadReason(read('read', 'report 12'))).to.equal('report 12');
    });

    it('seeing a group’s name and settings, or joining, touches no content', () => {
      expect(moderatorReadTouchesContent(read('view', null))).to.equal(false);
      expect(moderatorReadTouchesContent(read('join', null))).to.equal(false);
      for (const action of ['read', 'subscribe', 'viewImages', 'delete']) expect(moderatorReadTouchesContent(read(action, null))).to.equal(true);
    });
  });

  describe('reviewScope', () => {
    before(resetDatabase);

    it('site moderators review everything; owners and group moderators their groups; others nothing', async () => {
      expect(await reviewScope(viewer(['moderator']))).to.deep.equal({ all: true });
      const groupOwner = await buildUser();
      const group = await buildGroup({ owner: groupOwner });
      const scope = await reviewScope(groupOwner.viewer);
      expect(inReviewScope(scope, group._id)).to.equal(true);
      expect(inReviewScope(scope, new Types.ObjectId())).to.equal(false);
      let refused: unknown = null;
      try {
        await reviewScope((await buildUser()).viewer);
      } catch (error) {
        refused = error;
      }
      expect(refused).to.be.instanceOf(Forbidden);
    });
  });
});
