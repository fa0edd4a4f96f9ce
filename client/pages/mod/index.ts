// Moderator pages, loaded as their own chunk only when a moderator opens them.
export { AuditLog } from './AuditLog';
export { HoldPage } from './HoldPage';
export { Holds } from './Holds';
export { ReportQueue } from './ReportQueue';
