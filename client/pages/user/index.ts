// The signed-in pages, loaded as one chunk after sign-in.
export { EditProfile } from './EditProfile';
export { GroupDirectory } from './GroupDirectory';
export { GroupPage } from './GroupPage';
export { HomeFeed } from './HomeFeed';
export { NotificationsPage } from './NotificationsPage';
export { PostPage } from './PostPage';
export { ProfilePage } from './ProfilePage';
export { SearchPage } from './SearchPage';
