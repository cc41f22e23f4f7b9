// The one client of the REST API: every call goes through request(), which adds the caller's key.
// Nothing is cached: every answer depends on the key, so a changed key must never see the old one's data.

const KEY_ITEM = 'flowrecon.apiKey';
const objectUrls = new Set();
const keyListeners = new Set();

/** An answer other than 2xx, with the API's error JSON (error, message, violations) when it sent one. */
export class ApiError extends Error {
  constructor(status, body, fallback) {
    super(body && body.message ? body.message : fallback);
    this.status = status;
    this.code = body ? body.error : undefined;
    this.violations = body && Array.isArray(body.violations) ? body.violations : [];
  }
}

export function apiKey() {
  return sessionStorage.getItem(KEY_ITEM);
}

/** Sets (or with null, forgets) the key; images fetched with the old key are released. */
export function setApiKey(key) {
  if (key) {
    sessionStorage.setItem(KEY_ITEM, key);
  } else {
    sessionStorage.removeItem(KEY_ITEM);
  }
  releaseImages();
  keyListeners.forEach((listener) => listener(key));
}

export function onKeyChange(listener) {
  keyListeners.add(listener);
}

/** The single place where credentials join a request. */
function authorize(headers) {
  const key = apiKey();
  if (key) {
    headers.set('Authorization', 'Bearer ' + key);
  }
}

/** fetch() against the API with the key; throws ApiError on a non-2xx answer. */
export async function request(path, { method = 'GET', body, contentType, accept = 'application/json', signal } = {}) {
  const headers = new Headers({ Accept: accept });
  authorize(headers);
  let payload = body;
  if (body !== undefined && contentType === undefined) {
    headers.set('Content-Type', 'application/json');
    payload = JSON.stringify(body);
  } else if (contentType) {
    headers.set('Content-Type', contentType);
  }
  const response = await fetch(path, { method, headers, body: payload, cache: 'no-store', signal });
  if (!response.ok) {
    let error = null;
    try {
      error = await response.json();
    } catch (ignored) {
      // not JSON: the status text says enough
    }
    const failure = new ApiError(response.status, error, `${method} ${path}: ${response.status} ${response.statusText}`);
    if (response.status === 401) {
      sessionStorage.removeItem(KEY_ITEM);
      releaseImages();
      keyListeners.forEach((listener) => listener(null, failure));
    }
    throw failure;
  }
  return response;
}

export async function getJson(path, options) {
  return (await request(path, options)).json();
}

export async function sendJson(method, path, body) {
  const response = await request(path, { method, body });
  return response.status === 204 ? null : response.json();
}

/** An object URL for an image the API serves (an img src cannot carry the key). */
export async function imageUrl(path, options) {
  const blob = await (await request(path, { accept: 'image/*', ...options })).blob();
  const url = URL.createObjectURL(blob);
  objectUrls.add(url);
  return url;
}

export function releaseImage(url) {
  if (objectUrls.delete(url)) {
    URL.revokeObjectURL(url);
  }
}

export function releaseImages() {
  objectUrls.forEach((url) => URL.revokeObjectURL(url));
  objectUrls.clear();
}

/** Saves what the API answers at path as a file (a link cannot carry the key either). */
export async function download(path, fileName, accept = 'text/csv') {
  const blob = await (await request(path, { accept })).blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
