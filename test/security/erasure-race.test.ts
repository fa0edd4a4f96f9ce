// Review item 1: writes in flight do not survive erasure. An attacker (or a person's own stale tab) starts
// slow multipart posts with large images, then the account is erased with DELETE /api/me. Whether an upload
// finishes in the middle of the erasure or after it, nothing it wrote stays: no post, no image file, no
// trace of the erased id. A like racing the erasure goes the same way.
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import sharp from 'sharp';
import { ErasureJob, type ErasureStep } from '../../server/models/erasure-job';
import { Like } from '../../server/models/like';
import { Membership } from '../../server/models/membership';
import { Post } from '../../server/models/post';
import { User } from '../../server/models/user';
import { requestErasure } from '../../server/services/erasure';
import { joinGroup } from '../../server/services/groups';
import { likePost } from '../../server/services/likes';
import { fileReport } from '../../server/services/moderation';
import { createPost } from '../../server/services/posts';
import { buildGroup, buildPost, idOf } from '../support/content';
import { resetDatabase } from '../support/database';
import { findFiles, findTraces, waitForErasure } from '../support/erasure';
import { buildUser, type BuiltUser } from '../support/factories';
import { startTestForum, type TestForum } from '../support/forum';

const BOUNDARY = 'slow-upload-boundary';

/** A multipart post request whose body is sent only as far as `head` until `finish()` sends the rest. */
interface SlowUpload {
  /** Resolves once the server has accepted the headers and the first part (the request is authenticated). */
  started: Promise<void>;
  finish(): Promise<{ status: number; body: string }>;
}

function slowUpload(baseUrl: string, path: string, auth: { Authorization: string }, body: string, image: Buffer): SlowUpload {
  const head = Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="body"\r\n\r\n${body}\r\n` +
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="images"; filename="big.png"\r\nContent-Type: image/png\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
  const half = Math.floor(image.length / 2);
  const request = http.request(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { ...auth, 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`, 'Content-Length': head.length + image.length + tail.length },
  });
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    request.once('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.once('end', () => resolve({ status: res.statusCode!, body: text }));
    });
    request.once('error', reject);
  });
  const started = new Promise<void>((resolve) => {
    request.write(head);
    request.write(image.subarray(0, half), () => setTimeout(resolve, 100));
  });
  return {
    started,
    finish: async () => {
      request.end(Buffer.concat([image.subarray(half), tail]));
      return response;
    },
  };
}

async function largePng(): Promise<Buffer> {
  return sharp(randomBytes(600 * 400 * 3), { raw: { width: 600, height: 400, channels: 3 } }).png().toBuffer();
}

async function waitForStep(userId: BuiltUser['user']['_id'], step: ErasureStep): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const job = await ErasureJob.findOne({ userId }, { stepsDone: 1 }).lean();
    if (!job || job.stepsDone.includes(step)) return;
    if (Date.now() > deadline) throw new Error(`erasure did not reach ${step}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('security: writes in flight do not survive erasure', () => {
  let forum: TestForum;
  let owner: BuiltUser;

  before(async () => {
    await resetDatabase();
    forum = await startTestForum({ erasure: { stepDelayMs: 30 } });
    await forum.startListening();
    owner = await buildUser();
  });
  after(() => forum.close());

  async function erase(person: BuiltUser): Promise<void> {
    const res = await forum.http.delete('/api/me').set(person.auth).send({ password: person.password });
    expect(res.status, res.text).to.equal(202);
  }

  for (const when of ['in the middle of the erasure', 'after the erasure finished'] as const) {
    it(`slow multipart posts finishing ${when} leave nothing behind`, async () => {
      const person = await buildUser();
      const group = await buildGroup({ owner, visibility: 'public' });
      await forum.http.post(`/api/groups/${idOf(group)}/join`).set(person.auth).expect(200);
      // Something for the erasure to work through, so there is a middle to finish in.
      for (let i = 0; i < 5; i++) await buildPost({ group, author: person });
      const marker = `late-${randomBytes(4).toString('hex')}`;
      const image = await largePng();
      const uploads = [0, 1].map((n) => slowUpload(forum.url, `/api/groups/${idOf(group)}/posts`, person.auth, `${marker}-${n}`, image));
      await Promise.all(uploads.map((upload) => upload.started));

      await erase(person);
      if (when === 'in the middle of the erasure') await waitForStep(person.user._id, 'posts');
      else await waitForErasure(person.user._id);
      const answers = await Promise.all(uploads.map((upload) => upload.finish()));
      await waitForErasure(person.user._id);

      // Refused one way or another: the account is gone (401), or so is its membership (403).
      for (const answer of answers) expect(answer.status, answer.body).to.be.oneOf([401, 403]);
      expect(await Post.countDocuments({ bodyText: new RegExp(marker) })).to.equal(0);
      expect(await Post.countDocuments({ authorId: person.user._id })).to.equal(0);
      expect(await findTraces([String(person.user._id), marker])).to.deep.equal([]);
      expect(await findFiles(forum.ctx.config.uploadsDir, [''])).to.satisfy((files: string[]) => files.every((file) => !file.includes(marker)));
      const feed = await forum.http.get('/api/feed/public');
      expect(JSON.stringify(feed.body)).not.to.include(marker);
    });
  }

  it('a post, like, join and report committed by a request authenticated before the erasure are undone', async () => {
    const person = await buildUser();
    const group = await buildGroup({ owner, visibility: 'public' });
    const other = await buildGroup({ owner, visibility: 'public' });
    await forum.http.post(`/api/groups/${idOf(group)}/join`).set(person.auth).expect(200);
    const target = await buildPost({ group, author: owner });
    // Requests already past authentication when the erasure is accepted: the services are called with the
    // viewer they were authenticated as, right after requestErasure marked the account.
    const user = (await User.findById(person.user._id).lean())!;
    const { done } = await requestErasure(forum.ctx, user);
    const attempts = await Promise.allSettled([
      createPost(forum.ctx, person.viewer, group._id, { body: 'written late' }),
      likePost(forum.ctx, person.viewer, target._id),
      joinGroup(forum.ctx, person.viewer, other._id),
      fileReport(person.viewer, target._id, 'late report'),
    ]);
    await done;
    expect(attempts.map((attempt) => attempt.status)).to.deep.equal(['rejected', 'rejected', 'rejected', 'rejected']);
    expect(await Post.countDocuments({ bodyText: 'written late' })).to.equal(0);
    expect(await Like.countDocuments({ userId: person.user._id })).to.equal(0);
    expect(await Membership.countDocuments({ userId: person.user._id })).to.equal(0);
    expect((await Post.findById(target._id).lean())!.likeCount).to.equal(0);
    expect(await findTraces([String(person.user._id)])).to.deep.equal([]);
  });
});
