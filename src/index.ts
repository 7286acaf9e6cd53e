// The worker's entry (wrangler.toml `main`): the handlers and the Durable Object classes, composed in src/app.ts.
export { worker as default } from './app'
export { PeerOutbox } from './objects/peer-outbox'
export { ChargingSession } from './objects/charging-session'
export { CommandTracker } from './objects/command-tracker'
export { BackgroundJob } from './objects/background-job'
