// Every call to the REST API goes through here: a deadline on each request (a slow or dead replica never freezes
// the page), the viewer's credentials, and errors that say what the server said.

const DEFAULT_TIMEOUT_MS = 8000;
const AUTH_KEY = 'beehive.authorization';

export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

export const auth = {
  header() {
    return sessionStorage.getItem(AUTH_KEY);
  },
  useToken(token) {
    sessionStorage.setItem(AUTH_KEY, `Bearer ${token}`);
  },
  useBasic(user, password) {
    const bytes = new TextEncoder().encode(`${user}:${password}`);
    sessionStorage.setItem(AUTH_KEY, `Basic ${btoa(String.fromCharCode(...bytes))}`);
  },
  clear() {
    sessionStorage.removeItem(AUTH_KEY);
  },
};

/** Listeners told when the API answers 401, so the shell can ask for credentials once. */
const unauthorizedListeners = new Set();
export function onUnauthorized(listener) {
  unauthorizedListeners.add(listener);
}

export function requestHeaders(extra = {}) {
  // Tells the API this is the console: its 401s then carry no Basic challenge, which would make the browser
  // stall the request behind a login prompt of its own.
  const headers = { Accept: 'application/json', 'X-Beehive-Client': 'console', ...extra };
  const authorization = auth.header();
  if (authorization) {
    headers.Authorization = authorization;
  }
  return headers;
}

/**
 * Calls the API and resolves with the decoded body (null for an empty one). Rejects with an ApiError for any
 * answer but 2xx, and for a timeout (status 0) or a network failure (status 0).
 */
export async function api(method, path, body, { timeoutMs = DEFAULT_TIMEOUT_MS, signal } = {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException('timed out', 'TimeoutError')), timeoutMs);
  const onOuterAbort = () => controller.abort(signal.reason);
  signal?.addEventListener('abort', onOuterAbort, { once: true });
  const headers = requestHeaders(body === undefined ? {} : { 'Content-Type': 'application/json' });
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: controller.signal,
      cache: 'no-store',
    });
  } catch (e) {
    const timedOut = controller.signal.reason?.name === 'TimeoutError';
    throw new ApiError(0, timedOut ? `no answer from ${path} within ${timeoutMs / 1000} s`
      : `cannot reach the API (${e.message})`, null);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onOuterAbort);
  }
  const text = await response.text();
  let decoded = null;
  if (text) {
    try {
      decoded = JSON.parse(text);
    } catch {
      decoded = text;
    }
  }
  if (!response.ok) {
    if (response.status === 401) {
      unauthorizedListeners.forEach((l) => l());
    }
    throw new ApiError(response.status, describe(response.status, decoded), decoded);
  }
  return decoded;
}

function describe(status, body) {
  if (body && Array.isArray(body.errors)) {
    return body.errors.join('; ');
  }
  if (body && typeof body.message === 'string') {
    return `${status}: ${body.message}`;
  }
  if (typeof body === 'string' && body.length < 200) {
    return `${status}: ${body}`;
  }
  return `the API answered ${status}`;
}

export const get = (path, options) => api('GET', path, undefined, options);
