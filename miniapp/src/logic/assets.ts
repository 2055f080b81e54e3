/**
 * Where to load a picture the server names: a full address as it is; a path on the server ("/uploads/…") against
 * the API's origin, so the WeChat build (whose API is on another host) finds it too. In the browser build the API
 * is on the page's own origin and the path stays relative.
 */
export function assetUrl(url: string | null, apiBaseUrl: string): string | null {
  if (!url || !url.startsWith('/')) return url;
  const origin = apiBaseUrl.replace(/\/api\/?$/, '');
  return `${origin}${url}`;
}
