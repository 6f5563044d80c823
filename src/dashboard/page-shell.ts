/** The part of a reply the dashboard writes (Fastify's reply; Express's has the same three). */
export interface HtmlReply {
  code(status: number): HtmlReply;
  header(name: string, value: string): HtmlReply;
  send(body: string | Buffer): unknown;
}

export type PageId = 'login' | 'api-tokens' | 'api-keys' | 'audit';

/**
 * Nothing but our own files, no inline script or style, no framing, forms only to ourselves.
 * Everything a user typed is put in the page by the script with textContent, never as HTML.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'";

const TITLES: Record<PageId, string> = {
  login: 'Log in',
  'api-tokens': 'API Tokens',
  'api-keys': 'API Keys',
  audit: 'Audit log',
};

const NAV: Array<[Exclude<PageId, 'login'>, string]> = [
  ['api-tokens', '/settings/api-tokens'],
  ['api-keys', '/settings/api-keys'],
  ['audit', '/settings/audit'],
];

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface ShellInput {
  page: PageId;
  tenantName: string;
  css: string;
  js: string;
  /** The tab's icon (a hashed asset too; without one every page load asks for /favicon.ico). */
  icon: string;
}

/** The HTML of a page: a static frame the script fills from the public REST API. */
export function renderPage({ page, tenantName, css, js, icon }: ShellInput): string {
  const tenant = escapeHtml(tenantName);
  const head =
    `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${TITLES[page]} · ${tenant} · Keygate</title>` +
    `<link rel="icon" type="image/svg+xml" href="${icon}">` +
    `<link rel="stylesheet" href="${css}"><script src="${js}" defer></script></head>`;
  const body = page === 'login' ? loginBody(tenant) : settingsBody(page, tenant);
  return `${head}<body data-page="${page}">${body}</body></html>`;
}

function loginBody(tenant: string): string {
  return (
    `<main class="auth"><div class="auth-card">` +
    `<p class="brand"><span class="logo" aria-hidden="true"></span>Keygate</p>` +
    `<h1>Log in to ${tenant}</h1>` +
    `<form id="login-form" novalidate>` +
    field('email', 'Email', 'type="email" autocomplete="username" required autofocus') +
    field('password', 'Password', 'type="password" autocomplete="current-password" required') +
    `<p class="form-error" id="login-error" role="alert"></p>` +
    `<button type="submit" class="button primary wide">Log in</button>` +
    `</form></div></main>` +
    `<noscript><p class="noscript">The dashboard needs JavaScript.</p></noscript>`
  );
}

function field(id: string, label: string, attrs: string): string {
  return (
    `<div class="field"><label for="${id}">${label}</label>` +
    `<input id="${id}" name="${id}" ${attrs} aria-describedby="${id}-error">` +
    `<p class="field-error" id="${id}-error"></p></div>`
  );
}

function settingsBody(page: PageId, tenant: string): string {
  const nav = NAV.map(
    ([id, href]) => `<a href="${href}"${id === page ? ' aria-current="page"' : ''}>${TITLES[id]}</a>`,
  ).join('');
  return (
    `<header class="topbar"><div class="topbar-inner">` +
    `<a class="brand" href="/settings/api-tokens"><span class="logo" aria-hidden="true"></span>Keygate` +
    `<span class="tenant">${tenant}</span></a>` +
    `<div class="account"><span id="workspace-slot"></span><span class="user" id="user-name"></span>` +
    `<button type="button" class="button ghost" id="logout">Log out</button></div>` +
    `</div><nav class="tabs" aria-label="Settings">${nav}</nav></header>` +
    `<main class="content" id="content" aria-live="polite"><p class="loading">Loading…</p></main>` +
    `<noscript><p class="noscript">The dashboard needs JavaScript.</p></noscript>`
  );
}
