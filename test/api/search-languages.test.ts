// Search in a language it does not stem: Arabic words are found as whole words (diacritics aside), by
// members of the post's closed group only, and never by a fragment of a word.
import { expect } from 'chai';
import { addMember, buildGroup, buildPost, idOf } from '../support/content';
import { resetDatabase } from '../support/database';
import { buildUser, type BuiltUser } from '../support/factories';
import { startTestForum, type TestForum } from '../support/forum';

describe('search: text in other scripts (Arabic)', () => {
  let forum: TestForum;
  let member: BuiltUser, stranger: BuiltUser;
  let arabicId: string, mixedId: string;

  before(async () => {
    await resetDatabase();
    forum = await startTestForum();
    const owner = await buildUser();
    [member, stranger] = await Promise.all([buildUser(), buildUser()]);
    const closed = await buildGroup({ owner, visibility: 'closed', name: 'Clinicians' });
    await addMember(closed, member);
    // The outsider belongs to another group holding the same word, so a missing scope would show.
    const other = await buildGroup({ owner: stranger, visibility: 'closed', name: 'Elsewhere' });
    const elsewhere = await buildPost({ group: other, author: stranger, body: '<p>لا علاقة لهذا بالمستشفيات</p>' });
    expect(idOf(elsewhere)).to.be.a('string');
    arabicId = idOf(await buildPost({ group: closed, author: member, body: '<p>افتتح المستشفى الجديد قسمًا للأطفال</p>' }));
    mixedId = idOf(await buildPost({ group: closed, author: member, body: '<p>Meeting notes: الاجتماع القادم في المستشفى</p>' }));
  });
  after(() => forum.close());

  async function ids(viewer: BuiltUser, q: string): Promise<string[]> {
    const res = await forum.http.get('/api/search').query({ q, type: 'posts' }).set(viewer.auth).expect(200);
    return (res.body.items as { id: string }[]).map((item) => item.id);
  }

  it('a member finds an Arabic post by a whole Arabic word, in Arabic-only and mixed posts', async () => {
    expect((await ids(member, 'المستشفى')).sort()).to.deep.equal([arabicId, mixedId].sort());
    expect(await ids(member, 'الأطفال')).to.deep.equal([]);
    expect(await ids(member, 'للأطفال')).to.deep.equal([arabicId]);
    expect(await ids(member, 'الاجتماع notes')).to.deep.equal([mixedId]);
  });

  it('matches whole words only: no stemming, no fragments', async () => {
    expect(await ids(member, 'المستشف')).to.deep.equal([]);
    expect(await ids(member, 'مستشفى')).to.deep.equal([]);
  });

  it('ignores the short vowel marks (tashkeel), as it ignores accents', async () => {
    expect(await ids(member, 'الجَدِيد')).to.deep.equal([arabicId]);
  });

  it('highlights the Arabic word it matched', async () => {
    const res = await forum.http.get('/api/search').query({ q: 'الجديد', type: 'posts' }).set(member.auth).expect(200);
    expect(res.body.items[0].highlight).to.include('<mark>الجديد</mark>');
  });

  it('as a non-member of the closed group, the same words find nothing of it', async () => {
    expect(await ids(stranger, 'المستشفى')).to.deep.equal([]);
    expect(await ids(stranger, 'الاجتماع')).to.deep.equal([]);
    expect(await ids(stranger, 'للأطفال')).to.deep.equal([]);
  });
});
