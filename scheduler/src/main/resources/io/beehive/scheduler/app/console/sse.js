// Server-sent events read with fetch rather than EventSource: EventSource cannot send an Authorization header,
// and the API may protect its reads. The parser follows the SSE format (event/data/id lines, a blank line ends
// an event, lines starting with ':' are comments).

import { requestHeaders } from './api.js';

/**
 * Reads one SSE stream until it ends. onEvent(name, data, id) gets every event; any byte received (comments
 * included) counts as a sign of life for the watchdog. Resolves when the stream ends, rejects with the HTTP
 * status (as error.status) when it cannot be opened.
 */
export async function readEvents(url, { signal, onEvent, onOpen, onAlive }) {
  const response = await fetch(url, {
    headers: requestHeaders({ Accept: 'text/event-stream' }),
    signal,
    cache: 'no-store',
  });
  if (!response.ok) {
    let message = `${response.status}`;
    try {
      const body = await response.json();
      message = body.message ?? (Array.isArray(body.errors) ? body.errors.join('; ') : message);
    } catch {
      // not JSON: the status says enough
    }
    const error = new Error(message);
    error.status = response.status;
    throw error;
  }
  onOpen?.();
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let name = 'message';
  let data = [];
  let id = null;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      return;
    }
    onAlive?.();
    buffer += value;
    let newline;
    while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
      if (line === '') {
        if (data.length > 0) {
          onEvent(name, data.join('\n'), id);
        }
        name = 'message';
        data = [];
        continue;
      }
      if (line.startsWith(':')) {
        continue;
      }
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let text = colon < 0 ? '' : line.slice(colon + 1);
      if (text.startsWith(' ')) {
        text = text.slice(1);
      }
      if (field === 'event') {
        name = text;
      } else if (field === 'data') {
        data.push(text);
      } else if (field === 'id') {
        id = text;
      }
    }
  }
}
