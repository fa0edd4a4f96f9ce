import { expect } from 'chai';
import mongoose, { Schema, type Connection } from 'mongoose';
import { startTarget, uniqueDbName, type Target } from './target';

interface User {
  email: string;
  name: string;
  age?: number;
  tags: string[];
}

describe('embedded-mongo with mongoose', () => {
  let target: Target;
  let conn: Connection;
  const dbName = uniqueDbName('mongoose');

  const userSchema = new Schema<User>(
    {
      email: { type: String, required: true, unique: true },
      name: { type: String, required: true },
      age: Number,
      tags: [String],
    },
    { timestamps: true },
  );

  before(async () => {
    target = await startTarget();
    conn = await mongoose.createConnection(target.uri, { dbName, serverSelectionTimeoutMS: 5000 }).asPromise();
  });

  after(async () => {
    await conn.dropDatabase();
    await conn.close();
    await target.stop();
  });

  it('creates the collection and the unique index the schema declares', async () => {
    const Users = conn.model<User>('User', userSchema);
    await Users.init();
    const indexes = await Users.collection.indexes();
    const email = indexes.find((i) => i.name === 'email_1');
    expect(email).to.include({ unique: true });
    expect(email?.key).to.deep.equal({ email: 1 });
    const collections = await conn.db!.listCollections({ name: 'users' }).toArray();
    expect(collections).to.have.length(1);
  });

  it('creates, finds, updates and deletes documents', async () => {
    const Users = conn.model<User>('User');
    const ada = await Users.create({ email: 'ada@example.org', name: 'Ada', age: 36, tags: ['math'] });
    expect(ada._id).to.be.instanceOf(mongoose.Types.ObjectId);

    const found = await Users.findOne({ email: 'ada@example.org' }).lean();
    expect(found?.name).to.equal('Ada');
    expect(found?._id.equals(ada._id)).to.equal(true);

    await Users.updateOne({ _id: ada._id }, { $set: { name: 'Ada L.' }, $push: { tags: 'engines' } });
    const updated = await Users.findById(ada._id).lean();
    expect(updated?.name).to.equal('Ada L.');
    expect(updated?.tags).to.deep.equal(['math', 'engines']);

    const after = await Users.findOneAndUpdate({ _id: ada._id }, { $inc: { age: 1 } }, { new: true }).lean();
    expect(after?.age).to.equal(37);

    expect(await Users.countDocuments({ age: { $gte: 30 } })).to.equal(1);
    expect(await Users.estimatedDocumentCount()).to.equal(1);

    const deleted = await Users.deleteOne({ _id: ada._id });
    expect(deleted.deletedCount).to.equal(1);
    expect(await Users.findById(ada._id)).to.equal(null);
  });

  it('reports a duplicate email as MongoDB error 11000 with keyPattern and keyValue', async () => {
    const Users = conn.model<User>('User');
    await Users.create({ email: 'dup@example.org', name: 'First' });
    let error: unknown;
    try {
      await Users.create({ email: 'dup@example.org', name: 'Second' });
    } catch (err) {
      error = err;
    }
    expect(error).to.be.an('error');
    const e = error as { code?: number; keyPattern?: unknown; keyValue?: unknown; name?: string };
    expect(e.name).to.equal('MongoServerError');
    expect(e.code).to.equal(11000);
    expect(e.keyPattern).to.deep.equal({ email: 1 });
    expect(e.keyValue).to.deep.equal({ email: 'dup@example.org' });
    expect(await Users.countDocuments({ email: 'dup@example.org' })).to.equal(1);
  });

  it('upserts with $setOnInsert timestamps the way mongoose sends them', async () => {
    const Users = conn.model<User>('User');
    const res = await Users.updateOne({ email: 'new@example.org' }, { $set: { name: 'New' } }, { upsert: true });
    expect(res.upsertedCount).to.equal(1);
    const doc = await Users.findOne({ email: 'new@example.org' }).lean<User & { createdAt: Date; updatedAt: Date }>();
    expect(doc?.name).to.equal('New');
    expect(doc?.createdAt).to.be.instanceOf(Date);
    expect(doc?.updatedAt).to.be.instanceOf(Date);
  });

  it('populates references, streams a cursor, checks existence and aggregates', async () => {
    const Authors = conn.model('Author', new Schema({ name: String }));
    const Notes = conn.model('Note', new Schema({ title: String, author: { type: Schema.Types.ObjectId, ref: 'Author' }, n: Number }));
    const [ana, bo] = await Authors.create([{ name: 'Ana' }, { name: 'Bo' }]);
    await Notes.insertMany(Array.from({ length: 250 }, (_, n) => ({ title: `t${n}`, author: n % 2 ? ana._id : bo._id, n })));

    const populated = await Notes.find({ n: { $lt: 4 } }).sort({ n: 1 }).populate<{ author: { name: string } }>('author').lean();
    expect(populated.map((p) => p.author.name)).to.deep.equal(['Bo', 'Ana', 'Bo', 'Ana']);

    let streamed = 0;
    for await (const note of Notes.find({}).sort({ n: -1 }).batchSize(40).cursor()) {
      expect(note.n).to.equal(249 - streamed);
      streamed++;
    }
    expect(streamed).to.equal(250);

    expect(await Notes.exists({ title: 't7' })).to.have.property('_id');
    expect(await Notes.exists({ title: 'missing' })).to.equal(null);
    expect((await Notes.distinct('author')).map(String).sort()).to.deep.equal([String(ana._id), String(bo._id)].sort());

    const perAuthor = await Notes.aggregate<{ name: string; count: number }>([
      { $group: { _id: '$author', count: { $sum: 1 } } },
      { $lookup: { from: 'authors', localField: '_id', foreignField: '_id', as: 'a' } },
      { $unwind: '$a' },
      { $project: { _id: 0, name: '$a.name', count: 1 } },
      { $sort: { name: 1 } },
    ]);
    expect(perAuthor).to.deep.equal([
      { count: 125, name: 'Ana' },
      { count: 125, name: 'Bo' },
    ]);
  });

  it('syncs indexes when the schema changes', async () => {
    const first = new Schema({ a: Number, b: Number });
    first.index({ a: 1 });
    const V1 = conn.model('Synced', first, 'synced');
    await V1.syncIndexes();
    expect((await V1.collection.indexes()).map((i) => i.name)).to.deep.equal(['_id_', 'a_1']);
    conn.deleteModel('Synced');
    const second = new Schema({ a: Number, b: Number });
    second.index({ b: -1 }, { unique: true });
    const V2 = conn.model('Synced', second, 'synced');
    await V2.syncIndexes();
    expect((await V2.collection.indexes()).map((i) => i.name)).to.deep.equal(['_id_', 'b_-1']);
  });

  it('reports which documents of an unordered insertMany were duplicates', async () => {
    const Tags = conn.model('Tag', new Schema({ slug: { type: String, unique: true } }));
    await Tags.init();
    await Tags.create({ slug: 'taken' });
    const err = await Tags.insertMany([{ slug: 'one' }, { slug: 'taken' }, { slug: 'two' }], { ordered: false }).catch((e: unknown) => e);
    const e = err as { code?: number; writeErrors?: { index: number }[]; insertedDocs?: unknown[] };
    expect(e.code).to.equal(11000);
    expect(e.writeErrors?.map((w) => w.index)).to.deep.equal([1]);
    expect(await Tags.countDocuments()).to.equal(3);
  });

  it('makes mongoose transactions fail instead of pretending to run them', async () => {
    const Users = conn.model<User>('User');
    const err = await conn
      .transaction(async (session) => {
        await Users.create([{ email: 'tx@example.org', name: 'Tx' }], { session });
      })
      .catch((e: unknown) => e);
    expect(err).to.be.instanceOf(Error);
    expect((err as { code?: number }).code).to.equal(20);
    expect(await Users.countDocuments({ email: 'tx@example.org' })).to.equal(0);
  });

  it('sorts, skips, limits and projects through mongoose queries', async () => {
    const Items = conn.model('Item', new Schema({ n: Number, label: String }));
    await Items.insertMany(Array.from({ length: 30 }, (_, n) => ({ n, label: `item ${n}` })));
    const page = await Items.find({ n: { $gte: 10 } }).sort({ n: -1 }).skip(2).limit(3).select('n -_id').lean();
    expect(page).to.deep.equal([{ n: 27 }, { n: 26 }, { n: 25 }]);
  });
});
