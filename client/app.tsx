// The shell: header and navigation, access rules per route, and the lazily loaded signed-in pages.
import type { VNode } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { ClientRoute } from '../shared/client-routes';
import { api, ApiError } from './api';
import { brand } from './brand';
import { useTitle } from './components/Form';
import { Icon } from './components/Icon';
import { Loading } from './components/States';
import { Lazy } from './lazy';
import { useLiveStatus } from './live';
import { LanguagePicker } from './components/LanguagePicker';
import { useT } from './i18n';
import { ConfirmEmail } from './pages/visitor/ConfirmEmail';
import { ParentalConsent } from './pages/visitor/ParentalConsent';
import { AccountData } from './pages/visitor/AccountData';
import { Unsubscribe } from './pages/visitor/Unsubscribe';
import { SignIn } from './pages/visitor/SignIn';
import { SignUp } from './pages/visitor/SignUp';
import { ForgotPassword } from './pages/visitor/ForgotPassword';
import { ResetPassword } from './pages/visitor/ResetPassword';
import { VerifyEmail } from './pages/visitor/VerifyEmail';
import { VisitorHome } from './pages/visitor/Home';
import { NotAllowed } from './components/NotAllowed';
import { matchPath, navigate, useLocation } from './router';
import { isModerator, session, useSession } from './session';
import { useUnreadCount, useUnreadTracking } from './notifications';

const userPages = () => import(/* webpackChunkName: "user" */ './pages/user');
const modPages = () => import(/* webpackChunkName: "moderation" */ './pages/mod');
const privacyPages = () => import(/* webpackChunkName: "privacy" */ './pages/privacy');
const adminPages = () => import(/* webpackChunkName: "admin" */ './pages/admin');

type Access = 'anyone' | 'visitor' | 'user' | 'moderator' | 'admin';
type Params = Record<string, string>;

interface Route {
  /** Listed in shared/client-routes.ts too, which the server answers with the app (any other path is a 404). */
  pattern: ClientRoute;
  access: Access;
  view: (params: Params) => VNode;
}

const ROUTES: Route[] = [
  { pattern: '/', access: 'visitor', view: () => <VisitorHome /> },
  { pattern: '/signin', access: 'visitor', view: () => <SignIn /> },
  { pattern: '/signup', access: 'visitor', view: () => <SignUp /> },
  { pattern: '/forgot-password', access: 'visitor', view: () => <ForgotPassword /> },
  { pattern: '/verify-email', access: 'anyone', view: () => <VerifyEmail /> },
  { pattern: '/reset-password', access: 'anyone', view: () => <ResetPassword /> },
  { pattern: '/parental-consent', access: 'anyone', view: () => <ParentalConsent /> },
  { pattern: '/unsubscribe', access: 'anyone', view: () => <Unsubscribe /> },
  { pattern: '/account-data', access: 'anyone', view: () => <AccountData /> },
  { pattern: '/confirm-email', access: 'user', view: () => <ConfirmEmail /> },
  { pattern: '/home', access: 'user', view: () => <Lazy load={userPages} pick={(m) => m.HomeFeed} props={{}} /> },
  { pattern: '/groups', access: 'user', view: () => <Lazy load={userPages} pick={(m) => m.GroupDirectory} props={{}} /> },
  { pattern: '/groups/:id', access: 'user', view: (p) => <Lazy load={userPages} pick={(m) => m.GroupPage} props={{ id: p.id! }} /> },
  { pattern: '/posts/:id', access: 'user', view: (p) => <Lazy load={userPages} pick={(m) => m.PostPage} props={{ id: p.id! }} /> },
  { pattern: '/users/:id', access: 'user', view: (p) => <Lazy load={userPages} pick={(m) => m.ProfilePage} props={{ id: p.id! }} /> },
  { pattern: '/search', access: 'user', view: () => <Lazy load={userPages} pick={(m) => m.SearchPage} props={{}} /> },
  { pattern: '/notifications', access: 'user', view: () => <Lazy load={userPages} pick={(m) => m.NotificationsPage} props={{}} /> },
  { pattern: '/me', access: 'user', view: () => <Lazy load={userPages} pick={(m) => m.EditProfile} props={{}} /> },
  { pattern: '/privacy', access: 'user', view: () => <Lazy load={privacyPages} pick={(m) => m.PrivacyCentre} props={{}} /> },
  { pattern: '/mod', access: 'user', view: () => <Lazy load={modPages} pick={(m) => m.ReportQueue} props={{}} /> },
  { pattern: '/mod/reports', access: 'user', view: () => <Lazy load={modPages} pick={(m) => m.ReportQueue} props={{}} /> },
  { pattern: '/mod/holds', access: 'moderator', view: () => <Lazy load={modPages} pick={(m) => m.Holds} props={{}} /> },
  { pattern: '/mod/holds/:id', access: 'moderator', view: (p) => <Lazy load={modPages} pick={(m) => m.HoldPage} props={{ id: p.id! }} /> },
  { pattern: '/mod/audit', access: 'moderator', view: () => <Lazy load={modPages} pick={(m) => m.AuditLog} props={{}} /> },
  { pattern: '/admin', access: 'admin', view: () => <Lazy load={adminPages} pick={(m) => m.AdminConsole} props={{}} /> },
];

function SignInRequired({ path }: { path: string }) {
  const t = useT();
  useTitle(t.t('common.signInRequired.title'));
  return (
    <div class="page page-narrow">
      <div class="card form gate">
        <span class="state-icon">
          <Icon name="lock" />
        </span>
        <h1>{t.t('common.signInRequired.heading')}</h1>
        <p>{t.t('common.signInRequired.body')}</p>
        <div class="hero-actions">
          <a class="button button-primary" href={`/signin?next=${encodeURIComponent(path)}`}>
            {t.t('common.action.signIn')}
          </a>
          <a class="button" href="/signup">
            {t.t('common.action.createAccount')}
          </a>
          <a class="button button-quiet" href="/">
            {t.t('common.signInRequired.back')}
          </a>
        </div>
      </div>
    </div>
  );
}

function ModeratorsOnly() {
  const t = useT();
  return <NotAllowed title={t.t('common.moderatorsOnly.title')}>{t.t('common.moderatorsOnly.body')}</NotAllowed>;
}

function AdminsOnly() {
  const t = useT();
  return <NotAllowed title={t.t('common.adminsOnly.title')}>{t.t('common.adminsOnly.body')}</NotAllowed>;
}

function NotFoundPage() {
  const t = useT();
  useTitle(t.t('common.notFound.shortTitle'));
  return (
    <div class="page page-narrow">
      <div class="card form gate">
        <h1>{t.t('common.notFound.title')}</h1>
        <p>{t.t('common.notFound.body')}</p>
        <a class="button" href="/">
          {t.t('common.notFound.home')}
        </a>
      </div>
    </div>
  );
}

/** The search box: "/" focuses it from anywhere but a text field; submitting opens the results page. */
function HeaderSearch() {
  const t = useT();
  const { path, search } = useLocation();
  const input = useRef<HTMLInputElement>(null);
  const onResults = path === '/search';
  const current = onResults ? (search.get('q') ?? '') : '';

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
      if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
      event.preventDefault();
      input.current?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    if (input.current && document.activeElement !== input.current) input.current.value = current;
  }, [current]);

  const submit = (event: Event) => {
    event.preventDefault();
    const q = input.current?.value.trim() ?? '';
    if (!q) return;
    const type = onResults ? (search.get('type') ?? 'posts') : 'posts';
    navigate(`/search?${new URLSearchParams({ q, type }).toString()}`);
  };

  return (
    <form class="site-search" role="search" onSubmit={submit}>
      <label for="site-search-input" class="visually-hidden">
        {t.t('common.search.label')}
      </label>
      <input id="site-search-input" ref={input} type="search" name="q" maxLength={200} placeholder={t.t('common.search.placeholder')} defaultValue={current} autoComplete="off" />
    </form>
  );
}

/** The bell: the unread count, kept live; also shown in the tab title. */
function Bell({ current }: { current: 'page' | undefined }) {
  useUnreadTracking();
  const count = useUnreadCount();
  const t = useT();
  const label = t.t('common.bell.label', { count });
  return (
    <a href="/notifications" class="bell" aria-current={current} aria-label={label} title={label}>
      <Icon name="bell" />
      {count > 0 && (
        <span class="bell-count" aria-hidden="true" data-testid="bell-count">
          {count > 99 ? t.t('common.bell.overflow', { count: 99 }) : t.number(count)}
        </span>
      )}
    </a>
  );
}

function Header() {
  const t = useT();
  const state = useSession();
  const live = useLiveStatus();
  const { path } = useLocation();
  const current = (prefix: string) => (path === prefix || path.startsWith(`${prefix}/`) ? 'page' : undefined);

  const signOut = async () => {
    await api.logout().catch(() => undefined);
    session.signOut();
    navigate('/');
  };

  return (
    <header class="site-header">
      <div class="site-header-inner">
        <a class="brand" href={state.status === 'user' ? '/home' : '/'}>
          {brand().logoUrl ? (
            <img class="brand-logo" src={brand().logoUrl!} alt="" width={32} height={32} />
          ) : (
            <span class="brand-mark" aria-hidden="true">
              {[...brand().name][0]!.toUpperCase()}
            </span>
          )}
          <span class="brand-name" dir="auto">
            {brand().name}
          </span>
        </a>
        <span class={`live-dot live-${live}`} role="status" title={t.t(live === 'live' ? 'common.live.on' : 'common.live.paused')}>
          <span class="visually-hidden">{t.t(live === 'live' ? 'common.live.on' : live === 'connecting' ? 'common.live.connecting' : 'common.live.reconnecting')}</span>
        </span>
        {state.status === 'user' && <HeaderSearch />}
        {state.status === 'user' ? (
          <nav class="site-nav" aria-label={t.t('common.nav.label')}>
            <a href="/home" aria-current={current('/home')}>
              <Icon name="home" /> <span>{t.t('common.nav.feed')}</span>
            </a>
            <Bell current={current('/notifications')} />
            <a href="/groups" aria-current={current('/groups')}>
              <Icon name="users" /> <span>{t.t('common.nav.groups')}</span>
            </a>
            <a href={`/users/${state.me.id}`} aria-current={current(`/users/${state.me.id}`) ?? current('/me')}>
              <Icon name="user" /> <span>{t.t('common.nav.profile')}</span>
            </a>
            <a href="/privacy" aria-current={current('/privacy')}>
              <Icon name="key" /> <span>{t.t('common.nav.privacy')}</span>
            </a>
            {isModerator(state.me) && (
              <a href="/mod/reports" aria-current={current('/mod')}>
                <Icon name="shield" /> <span>{t.t('common.nav.moderation')}</span>
              </a>
            )}
            {state.me.roles.includes('admin') && (
              <a href="/admin" aria-current={current('/admin')}>
                <Icon name="key" /> <span>{t.t('common.nav.admin')}</span>
              </a>
            )}
            <button type="button" class="nav-button" onClick={signOut}>
              {t.t('common.action.signOut')}
            </button>
          </nav>
        ) : state.status === 'visitor' ? (
          <nav class="site-nav site-nav-visitor" aria-label={t.t('common.nav.label')}>
            <a href="/signin" aria-current={current('/signin')}>
              {t.t('common.action.signIn')}
            </a>
            <a href="/signup" class="button button-primary button-small" aria-current={current('/signup')}>
              {t.t('common.action.signUp')}
            </a>
          </nav>
        ) : null}
      </div>
    </header>
  );
}

function resolve(path: string): { route: Route; params: Params } | null {
  for (const route of ROUTES) {
    const params = matchPath(route.pattern, path);
    if (params) return { route, params };
  }
  return null;
}

function Outlet() {
  const state = useSession();
  const { path } = useLocation();
  const match = resolve(path);
  const t = useT();
  const signedIn = state.status === 'user';

  useEffect(() => {
    // Signed-in people have their own feed; signed-out people are sent home from visitor-only pages.
    if (signedIn && match?.route.access === 'visitor') navigate('/home', { replace: true });
  }, [signedIn, match?.route.access]);

  if (state.status === 'loading') return <Loading label={t.t('common.signingIn')} />;
  if (!match) return <NotFoundPage />;
  const { route, params } = match;
  if (route.access === 'visitor' && signedIn) return <Loading />;
  if (route.access !== 'anyone' && route.access !== 'visitor' && !signedIn) return <SignInRequired path={path} />;
  if (route.access === 'admin' && state.status === 'user' && !state.me.roles.includes('admin')) return <AdminsOnly />;
  if (route.access === 'moderator' && state.status === 'user' && !isModerator(state.me)) return <ModeratorsOnly />;
  return route.view(params);
}

export function App() {
  const t = useT();
  const { path } = useLocation();
  const main = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    // A refused token ends the session (see api/http.ts); any other failure is the network, so try again.
    const loadMe = () => {
      if (!session.token()) return;
      api.me().then(
        (me) => session.update(me),
        (error: unknown) => {
          if (!(error instanceof ApiError && error.status === 401)) timer = setTimeout(loadMe, 3000);
        },
      );
    };
    loadMe();
    return () => clearTimeout(timer);
  }, []);

  // Moving focus to the new page tells keyboard and screen-reader users that the page changed.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    main.current?.focus({ preventScroll: true });
  }, [path]);

  return (
    <>
      <a class="skip-link" href="#main">
        {t.t('common.skipToContent')}
      </a>
      <Header />
      <main id="main" ref={main} tabIndex={-1}>
        <Outlet />
      </main>
      <footer class="site-footer">
        <p>{t.t('common.footer.promise')}</p>
        <LanguagePicker />
      </footer>
    </>
  );
}
