// The privacy centre, loaded as its own chunk.
export { PrivacyCentre } from './PrivacyCentre';
