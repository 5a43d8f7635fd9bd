// Small helpers shared by the search page modules: API calls, safe markup, formatting.
// No framework and no build step: this file is loaded as a plain ES module.

/** An API failure: HTTP status (0 = network), the server's error code and message. */
export class ApiError extends Error {
  constructor(status, code, message, retryAfter = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

/**
 * GET a JSON endpoint relative to the page (so the page also works behind a path prefix).
 * `params` is an iterable of [name, value] pairs (repeatable names are allowed).
 * Resolves with the parsed body; rejects with ApiError, or with the AbortError of `signal`.
 */
export async function getJson(path, params = [], { signal } = {}) {
  const url = new URL(path, document.baseURI);
  for (const [name, value] of params) {
    url.searchParams.append(name, value);
  }
  let response;
  try {
    response = await fetch(url, { signal, headers: { Accept: 'application/json' } });
  } catch (err) {
    if (err.name === 'AbortError') {
      throw err;
    }
    throw new ApiError(0, 'network', 'The search service could not be reached.');
  }
  let body = null;
  try {
    body = await response.json();
  } catch (err) {
    if (err.name === 'AbortError') {
      throw err;
    }
    // Not JSON (a proxy error page, say): handled below.
  }
  if (!response.ok) {
    const e = (body && body.error) || {};
    throw new ApiError(response.status, e.code || `http_${response.status}`,
      e.message || response.statusText || 'Request failed', response.headers.get('Retry-After'));
  }
  if (body === null || typeof body !== 'object') {
    throw new ApiError(response.status, 'bad_response', 'The server sent a response that could not be read.');
  }
  return body;
}

/** A sentence for people, never a stack trace. */
export function friendlyError(err) {
  if (!(err instanceof ApiError)) {
    return 'Something went wrong while searching. Please try again.';
  }
  switch (err.status) {
    case 0:
      return 'The search service could not be reached. Check your connection and try again.';
    case 400:
      return `This search could not be run: ${err.message}`;
    case 401:
    case 403:
      return 'This search service needs a key that this page does not have.';
    case 414:
      return 'This search is too long. Please shorten it.';
    case 429: {
      const wait = Number.parseInt(err.retryAfter || '', 10);
      return Number.isFinite(wait) && wait > 0
        ? `Too many searches at once. Please wait ${wait} second${wait === 1 ? '' : 's'} and try again.`
        : 'Too many searches at once. Please wait a moment and try again.';
    }
    case 503:
      return err.code === 'timeout'
        ? 'This search took too long. Try fewer or more specific words.'
        : 'The search service is busy or starting up. Please try again in a moment.';
    default:
      return 'The search service had a problem answering. Please try again later.';
  }
}

/**
 * Append server markup (titles and snippets: HTML-escaped text with <mark> inserted) to `parent`.
 * The server promises only <mark>; as defence in depth every other element is reduced to its
 * text and every attribute is dropped. Parsing happens in an inert <template>, so nothing runs.
 */
export function appendMarked(parent, html) {
  const template = document.createElement('template');
  template.innerHTML = String(html ?? '');
  const clean = (node) => {
    for (const child of [...node.childNodes]) {
      if (child.nodeType === Node.ELEMENT_NODE) {
        if (child.localName === 'mark') {
          for (const attr of [...child.attributes]) {
            child.removeAttribute(attr.name);
          }
          clean(child);
        } else {
          child.replaceWith(document.createTextNode(child.textContent));
        }
      } else if (child.nodeType !== Node.TEXT_NODE) {
        child.remove();
      }
    }
  };
  clean(template.content);
  parent.append(template.content);
  return parent;
}

/** Plain text of server markup (entities decoded, tags dropped), parsed inertly. */
export function markupToText(html) {
  const template = document.createElement('template');
  template.innerHTML = String(html ?? '');
  return template.content.textContent;
}

/** The URL if it is safe to put in href (http, https or relative), else null. */
export function safeUrl(url) {
  if (typeof url !== 'string' || url.trim() === '') {
    return null;
  }
  try {
    const u = new URL(url, document.baseURI);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

const dateFormat = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });

/** "2024-05-16" or a date-time -> "May 16, 2024" in the reader's locale; '' when unparsable. */
export function formatDate(iso) {
  if (typeof iso !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(iso)) {
    return '';
  }
  const d = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? '' : dateFormat.format(d);
}

/** Shorthand for creating an element with a class and text (text is always set as text). */
export function el(tag, { className, text, attrs } = {}, ...children) {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text !== undefined && text !== null) {
    node.textContent = String(text);
  }
  if (attrs) {
    for (const [name, value] of Object.entries(attrs)) {
      if (value !== undefined && value !== null && value !== false) {
        node.setAttribute(name, value === true ? '' : String(value));
      }
    }
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

/** Calls `fn` once `ms` have passed without another call; `.cancel()` drops a pending call. */
export function debounce(fn, ms) {
  let timer = null;
  const wrapped = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      fn(...args);
    }, ms);
  };
  wrapped.cancel = () => {
    clearTimeout(timer);
    timer = null;
  };
  return wrapped;
}

/** Number with thousands separators in the reader's locale. */
export function formatCount(n) {
  return Number(n || 0).toLocaleString();
}
