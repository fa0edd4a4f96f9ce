import { expect } from 'chai';
import { Types } from 'mongoose';
import { Consent } from '../../server/models/consent';
import { consentHistory, recordConsent } from '../../server/services/consent';
import { resetDatabase } from '../support/database';

describe('consent ledger', () => {
  before(() => resetDatabase());

  it('appends entries and returns a user’s history oldest first', async () => {
    const userId = new Types.ObjectId();
    await recordConsent({ userId, kind: 'preference', channel: 'email', value: true, source: 'settings', at: new Date('2024-01-01') });
    await recordConsent({ userId, kind: 'preference', channel: 'email', value: false, source: 'settings', at: new Date('2024-02-01') });
    await recordConsent({ userId: new Types.ObjectId(), kind: 'terms', value: 'v1', source: 'registration' });
    const history = await consentHistory(userId);
    expect(history.map((entry) => entry.value)).to.deep.equal([true, false]);
    expect(history[0]).to.include({ kind: 'preference', channel: 'email', source: 'settings' });
  });

  it('refuses to change an entry: a change of mind is a new entry', async () => {
    const userId = new Types.ObjectId();
    const entry = await recordConsent({ userId, kind: 'terms', value: 'v1', source: 'registration' });
    let refused: unknown = null;
    try {
      await Consent.updateOne({ _id: entry._id }, { $set: { value: 'v2' } });
    } catch (error) {
      refused = error;
    }
    expect(String(refused)).to.match(/append-only/);
    const document = await Consent.findById(entry._id);
    document!.value = 'v3';
    let resaved: unknown = null;
    try {
      await document!.save();
    } catch (error) {
      resaved = error;
    }
    expect(String(resaved)).to.match(/append-only/);
    expect((await Consent.findById(entry._id).lean())!.value).to.equal('v1');
  });

  it('refuses unknown kinds', async () => {
    let refused: unknown = null;
    try {
      await recordConsent({ userId: new Types.ObjectId(), kind: 'whatever' as 'terms', value: true, source: 'test' });
    } catch (error) {
      refused = error;
    }
    expect(String(refused)).to.match(/kind/);
  });
});
