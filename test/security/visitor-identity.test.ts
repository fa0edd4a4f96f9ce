// Review item 10: visitors see authors with minimal identity (display name and avatar), through every door
// a visitor has: the homepage feed and the public live feed.
import { expect } from 'chai';
import { User } from '../../server/models/user';
import { buildGroup, idOf } from '../support/content';
import { resetDatabase } from '../support/database';
import { buildUser, type BuiltUser } from '../support/factories';
import { startTestForum, type TestForum } from '../support/forum';
import { follow, SocketPool } from '../support/sockets';

const BIO = 'Paediatrician in Lyon, ask me about vaccines';

describe('security: visitors see minimal identity', () => {
  let forum: TestForum;
  let author: BuiltUser;
  let groupId: string;
  const pool = new SocketPool();

  before(async () => {
    await resetDatabase();
    forum = await startTestForum();
    await forum.startListening();
    author = await buildUser({ bio: BIO });
    groupId = idOf(await buildGroup({ owner: author, visibility: 'public' }));
  });
  after(async () => {
    pool.closeAll();
    await forum.close();
  });

  it('the homepage feed and the public live feed carry no bio and no join date; signed-in readers still get both', async () => {
    const { recorder } = await pool.open(forum.url);
    await follow(recorder.socket, 'public');
    const created = await forum.http.post(`/api/groups/${groupId}/posts`).set(author.auth).send({ body: 'Hello visitors' });
    expect(created.status, created.text).to.equal(201);

    const live = await recorder.next('post:new', (post) => post.id === created.body.id);
    expect(live.payload.author).to.have.keys('id', 'displayName', 'avatarUrl');

    const feed = await forum.http.get('/api/feed/public');
    const shown = feed.body.items.find((post: { id: string }) => post.id === created.body.id);
    expect(shown.author).to.deep.equal({ id: String(author.user._id), displayName: author.user.displayName, avatarUrl: null });

    const joined = (await User.findById(author.user._id).lean())!.createdAt.toISOString();

    const signedIn = await forum.http.get(`/api/posts/${created.body.id}`).set(author.auth);
    expect(signedIn.body.author).to.include({ bio: BIO, joinedAt: joined });
  });
});
