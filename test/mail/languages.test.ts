// E-mails in the recipient's language, over real SMTP: an Arabic-speaking member's mail is Arabic and
// right-to-left, whoever's action sent it and whatever language that person's browser spoke.
import { expect } from 'chai';
import { User } from '../../server/models/user';
import { addMember, buildGroup, buildPost } from '../support/content';
import { resetDatabase } from '../support/database';
import { buildUser, uniqueEmail } from '../support/factories';
import { startTestForum, type TestForum } from '../support/forum';
import { sentTo, startSmtpServer, type ReceivedMail, type TestSmtpServer } from '../support/smtp';

const ARABIC_LETTERS = /[\u0600-\u06FF]/;

function expectArabic(mail: ReceivedMail): void {
  expect(mail.parsed.subject).to.match(ARABIC_LETTERS);
  expect(mail.parsed.text).to.match(ARABIC_LETTERS);
  expect(mail.parsed.html as string).to.include('<html lang="ar" dir="rtl">');
}

function expectEnglish(mail: ReceivedMail): void {
  expect(mail.parsed.subject).not.to.match(ARABIC_LETTERS);
  expect(mail.parsed.html as string).to.include('<html lang="en" dir="ltr">');
}

describe('mail in the recipient’s language (SMTP)', function () {
  this.timeout(60_000);
  let smtp: TestSmtpServer;
  let forum: TestForum;

  before(async () => {
    await resetDatabase();
    smtp = await startSmtpServer();
    forum = await startTestForum({ mailTransport: 'smtp', smtpUrl: smtp.url, mailQueue: { pollMs: 50, backoffBaseMs: 50, backoffMaxMs: 100 } });
  });
  after(async () => {
    await forum.close();
    smtp.release();
    await smtp.close();
  });

  it('an Arabic-speaking member whose post an English-speaking moderator hides is told in Arabic, right-to-left', async () => {
    const owner = await buildUser({ language: 'en' });
    const author = await buildUser({ language: 'ar' });
    const english = await buildUser({ language: 'en' });
    const group = await buildGroup({ owner, name: 'Clinic Notes' });
    await addMember(group, author);
    await addMember(group, english);
    const arabicPost = await buildPost({ group, author });
    const englishPost = await buildPost({ group, author: english });
    for (const post of [arabicPost, englishPost]) {
      await forum.http.post(`/api/mod/posts/${String(post._id)}/hide`).set(owner.auth).set('Accept-Language', 'en-US').send({ reason: 'spam' }).expect(200);
    }
    const arabic = await smtp.waitFor(sentTo(author.user.email));
    expectArabic(arabic);
    expect(arabic.parsed.subject).to.equal('أخفى أحد المشرفين منشورك');
    // The data stays as written: the group's name and the moderator's reason.
    expect(arabic.parsed.text).to.include('«Clinic Notes»').and.include('spam');
    expectEnglish(await smtp.waitFor(sentTo(english.user.email)));
  });

  it('registration: the language asked for, else the browser’s Accept-Language, chooses the account’s and its mail’s', async () => {
    const body = (email: string) => ({ email, password: 'a long enough password', name: 'Layla', dateOfBirth: '1990-04-01', acceptTerms: true });
    const fromHeader = uniqueEmail('header');
    await forum.http.post('/api/auth/register').set('Accept-Language', 'fr-FR, ar-EG;q=0.8, en;q=0.5').send(body(fromHeader)).expect(202);
    expectArabic(await smtp.waitFor(sentTo(fromHeader)));
    expect((await User.findOne({ email: fromHeader }).lean())!.language).to.equal('ar');

    const chosen = uniqueEmail('chosen');
    await forum.http.post('/api/auth/register').set('Accept-Language', 'ar').send({ ...body(chosen), language: 'en' }).expect(202);
    expectEnglish(await smtp.waitFor(sentTo(chosen)));
    expect((await User.findOne({ email: chosen }).lean())!.language).to.equal('en');
  });

  it('a registration attempt on a known address is written in the owner’s language, not the attempt’s', async () => {
    const owner = await buildUser({ language: 'ar' });
    await forum.http
      .post('/api/auth/register')
      .set('Accept-Language', 'en')
      .send({ email: owner.user.email, password: 'another long password', name: 'Mallory', dateOfBirth: '1990-04-01', acceptTerms: true, language: 'en' })
      .expect(202);
    const mail = await smtp.waitFor(sentTo(owner.user.email));
    expectArabic(mail);
    expect(mail.parsed.subject).to.equal('حاول أحدهم التسجيل بعنوانك');
  });

  it('a parent is written to in the language the child registered in', async () => {
    const child = uniqueEmail('child');
    const parent = uniqueEmail('parent');
    const born = `${new Date().getUTCFullYear() - 14}-01-01`;
    await forum.http
      .post('/api/auth/register')
      .set('Accept-Language', 'ar')
      .send({ email: child, password: 'a long enough password', name: 'Sami', dateOfBirth: born, parentEmail: parent, acceptTerms: true })
      .expect(202);
    const mail = await smtp.waitFor(sentTo(parent));
    expectArabic(mail);
    expect(mail.parsed.text).to.include('«Sami»');
  });
});
