// The explorer API client: the studio reads and edits objects only through these calls.

export const BASE = '/cdn-cgi/explorer/api';
const NAMESPACES = '/workers/durable_objects/namespaces';
const TOKEN_KEY = 'durable.studio.token';

/** A failed call: the explorer's message and code, or why the server could not be reached. */
export class ApiError extends Error {
  constructor(message, status, code) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

let unauthorized = () => {};

/** What to do when the server wants the explorer token (it was started with one). */
export function onUnauthorized(handler) {
  unauthorized = handler;
}

export function token() {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function setToken(value) {
  try {
    if (value) sessionStorage.setItem(TOKEN_KEY, value);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // Blocked storage: the token is asked for again next time.
  }
}

function headers(json) {
  const h = {Accept: 'application/json'};
  const t = token();
  if (t) h.Authorization = 'Bearer ' + t;
  if (json) h['Content-Type'] = 'application/json';
  return h;
}

function url(path, query) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v != null && v !== '') params.set(k, String(v));
  }
  const q = params.toString();
  return BASE + path + (q ? '?' + q : '');
}

/**
 * Calls the explorer and returns {result, info} from its envelope, or throws an ApiError with
 * the message the explorer gave.
 */
export async function call(method, path, {query, body} = {}) {
  let response;
  try {
    response = await fetch(url(path, query), {
      method,
      headers: headers(body !== undefined),
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(`Could not reach the dev server (${e.message}). Is durable dev still running?`, 0, null);
  }
  let envelope;
  try {
    envelope = await response.json();
  } catch {
    throw new ApiError(`The server answered ${response.status} ${response.statusText} without the`
      + ' explorer\'s JSON envelope', response.status, null);
  }
  if (!envelope.success) {
    const first = envelope.errors?.[0] ?? {};
    const error = new ApiError(first.message ?? `The request failed with status ${response.status}`,
      response.status, first.code ?? null);
    if (response.status === 401) unauthorized(error);
    throw error;
  }
  return {result: envelope.result, info: envelope.result_info ?? null};
}

const enc = encodeURIComponent;

/** The API path of one object; `object` is its 64-hex id or `name:<name>`. */
export function objectPath(ns, object) {
  return `${NAMESPACES}/${enc(ns)}/objects/${enc(object)}`;
}

/** A download link of the API (exports). */
export function downloadUrl(path, query) {
  return url(path, query);
}

/** The query route addresses an object by id or by name in its body. */
function target(object) {
  return object.startsWith('name:')
    ? {durable_object_name: object.slice(5)}
    : {durable_object_id: object};
}

export const api = {
  namespaces: () => call('GET', NAMESPACES),
  objects: (ns, {limit, cursor, search}) =>
    call('GET', `${NAMESPACES}/${enc(ns)}/objects`, {query: {limit, cursor, search}}),
  summary: (ns, object) => call('GET', objectPath(ns, object)),
  tables: (ns, object) => call('GET', objectPath(ns, object) + '/tables'),
  rows: (ns, object, table, query) =>
    call('GET', `${objectPath(ns, object)}/tables/${enc(table)}/rows`, {query}),
  insertRow: (ns, object, table, values) =>
    call('POST', `${objectPath(ns, object)}/tables/${enc(table)}/rows`, {body: {values}}),
  updateRow: (ns, object, table, key, values) =>
    call('PATCH', `${objectPath(ns, object)}/tables/${enc(table)}/rows`, {body: {key, values}}),
  deleteRow: (ns, object, table, key) =>
    call('DELETE', `${objectPath(ns, object)}/tables/${enc(table)}/rows`, {body: {key}}),
  kvList: (ns, object, {prefix, limit, cursor}) =>
    call('GET', objectPath(ns, object) + '/kv', {query: {prefix, limit, cursor}}),
  kvGet: (ns, object, key) => call('GET', `${objectPath(ns, object)}/kv/${enc(key)}`),
  kvPut: (ns, object, key, body) => call('PUT', `${objectPath(ns, object)}/kv/${enc(key)}`, {body}),
  kvDelete: (ns, object, key) => call('DELETE', `${objectPath(ns, object)}/kv/${enc(key)}`),
  query: (ns, object, sql, params) => call('POST', `${NAMESPACES}/${enc(ns)}/query`,
    {body: {...target(object), queries: [{sql, params}]}}),
  explain: (ns, object, sql, params) =>
    call('POST', objectPath(ns, object) + '/explain', {body: {sql, params}}),
  alarm: (ns, object) => call('GET', objectPath(ns, object) + '/alarm'),
  setAlarm: (ns, object, scheduledTime) =>
    call('PUT', objectPath(ns, object) + '/alarm', {body: {scheduled_time: scheduledTime}}),
  deleteAlarm: (ns, object) => call('DELETE', objectPath(ns, object) + '/alarm'),
  runAlarm: (ns, object) => call('POST', objectPath(ns, object) + '/alarm/run', {body: {}}),
};

/**
 * Downloads an export with the explorer token, which a plain link cannot send: the file is
 * fetched and handed to the browser under the name the server gave it.
 */
export async function download(path, query, fileName) {
  const response = await fetch(url(path, query), {headers: headers(false)});
  if (!response.ok) {
    let message = `The export failed with status ${response.status}`;
    try {
      message = (await response.json()).errors[0].message;
    } catch {
      // Not the envelope: keep the status.
    }
    throw new ApiError(message, response.status, null);
  }
  const named = /filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') ?? '');
  const blobUrl = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = blobUrl;
  link.download = named ? named[1] : fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(blobUrl), 10_000);
}
