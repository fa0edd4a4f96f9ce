// The admin console, loaded as its own chunk only when an admin opens it.
export { AdminConsole } from './AdminConsole';
