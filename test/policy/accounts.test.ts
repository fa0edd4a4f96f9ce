import { expect } from 'chai';
import { Types } from 'mongoose';
import { Forbidden } from '../../server/errors';
import { authorizeRoleChange, ownsMailbox, requireAdmin } from '../../server/policy';
import type { Viewer } from '../../server/policy/viewer';

function viewer(roles: Viewer['roles']): Viewer {
  const _id = new Types.ObjectId();
  return { id: String(_id), _id, roles };
}

describe('policy: accounts', () => {
  it('only admins change roles and membership; moderators and plain users are forbidden', () => {
    expect(() => requireAdmin(viewer(['admin', 'moderator']))).not.to.throw();
    expect(() => requireAdmin(viewer(['moderator']))).to.throw(Forbidden);
    expect(() => requireAdmin(viewer([]))).to.throw(Forbidden);
  });

  it('an admin cannot drop their own admin role, but may change anyone else’s', () => {
    const admin = viewer(['admin']);
    expect(() => authorizeRoleChange(admin, admin._id, ['moderator'])).to.throw(Forbidden, /own admin role/);
    expect(() => authorizeRoleChange(admin, admin._id, ['admin'])).not.to.throw();
    expect(() => authorizeRoleChange(admin, new Types.ObjectId(), [])).not.to.throw();
    expect(() => authorizeRoleChange(viewer(['moderator']), new Types.ObjectId(), ['moderator'])).to.throw(Forbidden, /Only administrators/);
  });

  it('only an account that proved its address owns what is kept about the mailbox', () => {
    expect(ownsMailbox({ emailVerified: true })).to.equal(true);
    expect(ownsMailbox({ emailVerified: false })).to.equal(false);
    expect(ownsMailbox({ emailVerified: null })).to.equal(false);
    expect(ownsMailbox({})).to.equal(false);
  });
});
