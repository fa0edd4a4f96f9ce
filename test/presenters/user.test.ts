import { expect } from 'chai';
import { Types } from 'mongoose';
import type { UserFields } from '../../server/models/user';
import { presentMe, presentPublicUser } from '../../server/presenters/user';

/** A user with every private field filled with a recognisable value. */
function fullUser(): UserFields {
  return {
    _id: new Types.ObjectId(),
    email: 'private.person@example.org',
    passwordHash: 'scrypt$32768$8$1$c2FsdA==$a2V5',
    name: 'Private Legal Name',
    displayName: 'Public Name',
    bio: 'public bio',
    dateOfBirth: '1977-07-07',
    avatarKey: 'a'.repeat(32),
    roles: ['admin', 'moderator'],
    isMember: true,
    status: 'active',
    parentEmail: 'parent.private@example.org',
    preferences: { email: true, sms: true, whatsapp: false, phone: false, post: true },
    restricted: true,
    passwordChangedAt: new Date('2020-01-01T00:00:00Z'),
    createdAt: new Date('2021-02-03T04:05:06Z'),
    updatedAt: new Date('2022-02-03T04:05:06Z'),
  } as UserFields;
}

const PRIVATE_VALUES = [
  'private.person@example.org',
  'Private Legal Name',
  '1977-07-07',
  'admin',
  'moderator',
  'scrypt',
  'parent.private@example.org',
  'isMember',
  'roles',
  'restricted',
  'preferences',
  'dateOfBirth',
  'email',
];

describe('user presenters', () => {
  it('PublicUser has exactly id, displayName, avatarUrl, bio and joinedAt', () => {
    const user = fullUser();
    const shown = presentPublicUser(user);
    expect(Object.keys(shown).sort()).to.deep.equal(['avatarUrl', 'bio', 'displayName', 'id', 'joinedAt']);
    expect(shown).to.deep.equal({
      id: user._id.toHexString(),
      displayName: 'Public Name',
      avatarUrl: `/media/avatars/${'a'.repeat(32)}-512.webp`,
      bio: 'public bio',
      joinedAt: '2021-02-03T04:05:06.000Z',
    });
  });

  it('PublicUser carries no private value under any key, even nested', () => {
    const text = JSON.stringify(presentPublicUser(fullUser()));
    for (const value of PRIVATE_VALUES) expect(text, value).not.to.include(value);
  });

  it('PublicUser does not copy extra fields even when handed a whole document', () => {
    const user = { ...fullUser(), extra: 'surprise' } as UserFields;
    expect(Object.keys(presentPublicUser(user))).not.to.include('extra');
  });

  it('Me adds exactly the owner’s private fields and never the password hash or parent address', () => {
    const me = presentMe(fullUser());
    expect(Object.keys(me).sort()).to.deep.equal(
      ['avatarUrl', 'bio', 'dateOfBirth', 'displayName', 'email', 'id', 'isMember', 'joinedAt', 'name', 'preferences', 'restricted', 'roles', 'emailVerified', 'language'].sort(),
    );
    const text = JSON.stringify(me);
    expect(text).not.to.include('scrypt');
    expect(text).not.to.include('parent.private@example.org');
    expect(text).not.to.include('pending');
    expect(me.preferences).to.deep.equal({ email: true, sms: true, whatsapp: false, phone: false, post: true });
  });
});
