// The console's one connection to /v1/events. It reconnects by itself: when the replica behind the load balancer
// dies or stops leading, the stream ends (or goes silent) and the next attempt lands on whoever leads now, whose
// first event names it. Pages listen here instead of opening streams of their own.

import { readEvents } from './sse.js';

/** The server sends a comment every 15 s; a stream silent for longer than this is dead, whatever TCP thinks. */
const SILENCE_LIMIT_MS = 40000;
/** Retries start fast and never wait longer than this: a new leader is named as soon as the load balancer routes
 *  to it. Cheap while the API is down: the load balancer answers them itself. */
const MAX_RETRY_MS = 250;
const KEPT_EVENTS = 200;

class LiveFeed extends EventTarget {
  constructor() {
    super();
    this.state = 'connecting';
    this.leader = null;
    this.recent = [];
    this.controller = null;
    this.watchdog = null;
    this.started = false;
  }

  start() {
    if (!this.started) {
      this.started = true;
      this.loop();
    }
  }

  /** Drops the current stream and opens a new one (after new credentials, say). */
  restart() {
    this.controller?.abort();
    this.resume?.();
  }

  async loop() {
    let retryMs = 100;
    for (;;) {
      this.controller = new AbortController();
      const controller = this.controller;
      try {
        await readEvents('/v1/events', {
          signal: controller.signal,
          onOpen: () => {
            retryMs = 100;
            this.setState('live');
            this.dispatchEvent(new Event('reconnected'));
            this.feedWatchdog(controller);
          },
          onAlive: () => this.feedWatchdog(controller),
          onEvent: (name, data) => this.received(name, data),
        });
        this.setState('reconnecting', 'the stream ended');
      } catch (e) {
        if (e.status === 401) {
          this.setState('signed out', 'the API wants credentials');
          // Asking again without new credentials would only be refused again: wait for them.
          await new Promise((resolve) => { this.resume = resolve; });
          this.resume = null;
          continue;
        } else {
          this.setState('reconnecting', e.status ? `the API answered ${e.message}` : 'no connection');
        }
      } finally {
        clearTimeout(this.watchdog);
      }
      await new Promise((resolve) => setTimeout(resolve, retryMs));
      retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
    }
  }

  feedWatchdog(controller) {
    clearTimeout(this.watchdog);
    this.watchdog = setTimeout(() => controller.abort(), SILENCE_LIMIT_MS);
  }

  received(name, data) {
    let payload;
    try {
      payload = JSON.parse(data);
    } catch {
      payload = { message: data };
    }
    if (name === 'leader') {
      this.setLeader(payload.leader ?? null, payload.epoch ?? null);
    }
    this.recent.unshift({ name, payload, receivedAt: Date.now() });
    this.recent.length = Math.min(this.recent.length, KEPT_EVENTS);
    this.dispatchEvent(new CustomEvent('event', { detail: { name, payload } }));
  }

  setLeader(leader, epoch) {
    if (leader !== this.leader) {
      this.leader = leader;
      this.dispatchEvent(new CustomEvent('leader', { detail: { leader, epoch } }));
    }
  }

  setState(state, why = '') {
    if (state !== this.state || why !== this.why) {
      this.state = state;
      this.why = why;
      this.dispatchEvent(new CustomEvent('state', { detail: { state, why } }));
    }
  }
}

export const live = new LiveFeed();
