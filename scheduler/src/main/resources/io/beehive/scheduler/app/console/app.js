// The console's shell: hash routes (#/jobs/web), the header's leader and stream state, and signing in when the
// API asks for credentials.

import { auth, get, onUnauthorized } from './api.js';
import { live } from './live.js';
import { overview } from './overview.js';
import { jobs } from './jobs.js';
import { jobDetail } from './job.js';
import { taskLogs } from './logs.js';
import { agents } from './agents.js';
import { feed } from './feed.js';

const ROUTES = [
  [/^\/?$/, overview],
  [/^\/jobs$/, jobs],
  [/^\/jobs\/([^/]+)$/, jobDetail],
  [/^\/tasks\/([^/]+)\/logs(?:\/(stdout|stderr))?$/, taskLogs],
  [/^\/agents$/, agents],
  [/^\/events$/, feed],
];

const main = document.getElementById('main');
let current = null;

function route() {
  if (location.hash && !location.hash.startsWith('#/')) {
    return; // an in-page anchor, not a page
  }
  const path = decodeURI(location.hash.replace(/^#/, '')) || '/';
  current?.dispose?.();
  current = null;
  for (const [pattern, page] of ROUTES) {
    const match = pattern.exec(path);
    if (match) {
      current = page(main, match.slice(1).map((p) => (p === undefined ? undefined : decodeURIComponent(p))));
      markNavigation(path);
      main.querySelector('h1')?.focus({ preventScroll: true });
      return;
    }
  }
  main.replaceChildren(Object.assign(document.createElement('h1'), { textContent: 'No such page' }));
}

function markNavigation(path) {
  const section = `#/${path.split('/')[1] ?? ''}`;
  for (const link of document.querySelectorAll('nav a')) {
    const here = link.getAttribute('href') === section || (section === '#/tasks' && link.hash === '#/jobs');
    if (here) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  }
}

// --- who leads, and is the stream live ---------------------------------------------------------------------
const leaderName = document.getElementById('leader-name');
const liveState = document.getElementById('live-state');

function showLeader(leader) {
  leaderName.textContent = leader ?? 'none (election under way)';
  // When this page learnt it (epoch milliseconds): for operators in the tooltip, for tests to time a fail-over.
  leaderName.dataset.since = String(Date.now());
  leaderName.title = `known since ${new Date().toLocaleTimeString()}`;
  document.title = leader ? `Beehive: ${leader} leads` : 'Beehive: no leader';
}

live.addEventListener('leader', (e) => showLeader(e.detail.leader));
live.addEventListener('state', (e) => {
  liveState.textContent = e.detail.state;
  liveState.title = e.detail.why ?? '';
  liveState.className = `badge live-${e.detail.state.replace(/\s+/g, '-')}`;
  liveState.dataset.since = String(Date.now());
});

// --- credentials ---------------------------------------------------------------------------------------------
const dialog = document.getElementById('login');
const authButton = document.getElementById('auth-button');

let authAsked = false;

/** Hidden while the API has never asked for credentials: with api.auth off there is nothing to sign in to. */
function showAuthButton() {
  authButton.textContent = auth.header() ? 'Sign out' : 'Sign in';
  authButton.hidden = !auth.header() && !authAsked;
}

authButton.addEventListener('click', () => {
  if (auth.header()) {
    auth.clear();
    showAuthButton();
    live.restart();
    route();
  } else {
    askForCredentials();
  }
});

function askForCredentials() {
  authAsked = true;
  showAuthButton();
  if (!dialog.open) {
    document.getElementById('login-error').textContent = '';
    dialog.showModal();
  }
}

document.getElementById('login-cancel').addEventListener('click', () => dialog.close());
document.getElementById('login-form').addEventListener('submit', (event) => {
  const token = document.getElementById('login-token').value.trim();
  const user = document.getElementById('login-user').value.trim();
  const password = document.getElementById('login-password').value;
  if (token) {
    auth.useToken(token);
  } else if (user) {
    auth.useBasic(user, password);
  } else {
    event.preventDefault();
    document.getElementById('login-error').textContent = 'Give a token, or a user and password.';
    return;
  }
  event.target.reset();
  showAuthButton();
  live.restart();
  route();
});

onUnauthorized(askForCredentials);
live.addEventListener('state', (e) => {
  if (e.detail.state === 'signed out') askForCredentials();
});

// The skip link moves focus past the navigation without touching the route.
document.getElementById('skip-link').addEventListener('click', (event) => {
  event.preventDefault();
  main.focus();
});

// --- start ---------------------------------------------------------------------------------------------------
window.addEventListener('hashchange', route);
showAuthButton();
get('/v1/leader').then((l) => live.leader === null && showLeader(l.leader)).catch(() => { /* the stream tells */ });
live.start();
route();
