// Keygate dashboard. Plain JavaScript, no dependency: it calls the same public REST API as any
// client, with the session cookie and the session's CSRF token. Everything that comes from the
// API (names, scopes, user agents) is put in the page as text nodes, never parsed as HTML.
'use strict';

(function () {
  var page = document.body.dataset.page;
  var WORKSPACE_KEY = 'keygate.workspace';
  var state = { csrf: null, me: null, scopes: [], workspaceId: localStorage.getItem(WORKSPACE_KEY) };

  // ---- DOM helpers (text only) ----
  function h(tag, attrs) {
    var el = document.createElement(tag);
    setAttrs(el, attrs);
    for (var i = 2; i < arguments.length; i++) append(el, arguments[i]);
    return el;
  }
  function setAttrs(el, attrs) {
    if (!attrs) return;
    Object.keys(attrs).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k === 'class') el.className = v;
      else if (k.slice(0, 2) === 'on') el.addEventListener(k.slice(2), v);
      else if (k === 'value') el.value = v;
      else if (k === 'checked') el.checked = !!v;
      else el.setAttribute(k, v === true ? '' : String(v));
    });
  }
  function append(el, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) return child.forEach(function (c) { append(el, c); });
    el.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
  function svg(tag, attrs) {
    var el = document.createElementNS('http://www.w3.org/2000/svg', tag);
    Object.keys(attrs || {}).forEach(function (k) { el.setAttribute(k, String(attrs[k])); });
    return el;
  }
  function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); return el; }
  function $(id) { return document.getElementById(id); }

  // ---- API ----
  function api(method, path, body) {
    var headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && state.csrf) headers['X-CSRF-Token'] = state.csrf;
    if (state.workspaceId) headers['X-Workspace-ID'] = state.workspaceId;
    return fetch(path, {
      method: method,
      headers: headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(function (res) {
      return res.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
        if (res.status === 401 && page !== 'login') {
          window.location.assign('/login');
          return new Promise(function () {});
        }
        return { status: res.status, ok: res.ok, data: data || {} };
      });
    });
  }
  function messageOf(res) {
    var d = res.data || {};
    if (res.status === 403) return 'You are not allowed to do this' + (d.required_scope ? ' (it needs ' + d.required_scope + ').' : '.');
    if (res.status === 429) return 'Too many attempts. Try again in a minute.';
    return d.message || 'Something went wrong (' + res.status + ').';
  }

  // ---- Scopes ----
  function covers(held, scope) {
    if (held === '*' || held === scope) return true;
    var a = held.split(':'), b = scope.split(':');
    return (a[0] === b[0] || a[0] === '*') && (a[1] === b[1] || a[1] === '*');
  }
  function can(scope) { return state.scopes.some(function (s) { return covers(s, scope); }); }
  function groupByResource(names) {
    var groups = {};
    names.forEach(function (n) { var r = n.split(':')[0]; (groups[r] = groups[r] || []).push(n); });
    return Object.keys(groups).sort().map(function (r) { return { resource: r, scopes: groups[r].sort() }; });
  }

  // ---- Formatting ----
  function when(iso) {
    if (!iso) return 'Never';
    var d = new Date(iso);
    return d.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' }) +
      ', ' + d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  }
  function relative(iso) {
    if (!iso) return 'Never';
    var s = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
    if (s < 60) return 'Just now';
    if (s < 3600) return Math.floor(s / 60) + ' min ago';
    if (s < 86400) return Math.floor(s / 3600) + ' h ago';
    if (s < 30 * 86400) return Math.floor(s / 86400) + ' days ago';
    return when(iso);
  }
  function meta(pairs) {
    return h('dl', { class: 'row-meta' }, pairs.map(function (p) {
      return h('div', null, h('dt', null, p[0]), h('dd', null, p[1]));
    }));
  }
  function chips(list) {
    return h('div', { class: 'chips' }, list.map(function (s) { return h('span', { class: 'chip' }, s); }));
  }

  // ---- Pieces shared by pages ----
  function fieldErrors(form, res) {
    var errors = (res.data && res.data.errors) || {};
    var shown = false;
    Object.keys(errors).forEach(function (field) {
      var slot = form.querySelector('[data-error-for="' + field + '"]');
      if (!slot) return;
      slot.textContent = errors[field].join(' ');
      var input = form.querySelector('[name="' + field + '"]');
      if (input) input.setAttribute('aria-invalid', 'true');
      shown = true;
    });
    var general = form.querySelector('.form-error');
    general.textContent = shown ? '' : messageOf(res);
  }
  function resetErrors(form) {
    form.querySelectorAll('[data-error-for], .form-error').forEach(function (e) { e.textContent = ''; });
    form.querySelectorAll('[aria-invalid]').forEach(function (e) { e.removeAttribute('aria-invalid'); });
  }
  function errorSlot(field) { return h('p', { class: 'field-error', 'data-error-for': field, id: 'err-' + field }); }
  function textField(name, label, attrs, hint) {
    var id = 'f-' + name;
    return h('div', { class: 'field' },
      h('label', { for: id }, label),
      hint ? h('p', { class: 'hint' }, hint) : null,
      h('input', Object.assign({ id: id, name: name, type: 'text', 'aria-describedby': 'err-' + name }, attrs || {})),
      errorSlot(name));
  }
  function expirySelect(name) {
    var id = 'f-' + name;
    return h('div', { class: 'field' },
      h('label', { for: id }, 'Expiration'),
      h('select', { id: id, name: name },
        h('option', { value: '' }, 'No expiration'),
        h('option', { value: '7' }, '7 days'),
        h('option', { value: '30' }, '30 days'),
        h('option', { value: '90' }, '90 days'),
        h('option', { value: '365' }, '1 year')),
      errorSlot(name));
  }
  function expiryValue(select) {
    return select.value ? new Date(Date.now() + Number(select.value) * 86400000).toISOString() : undefined;
  }
  function scopeChecks(name, legend, names) {
    var box = h('div', { class: 'field', role: 'group', 'aria-labelledby': 'legend-' + name },
      h('span', { class: 'legend', id: 'legend-' + name }, legend));
    if (names.length === 0) {
      box.appendChild(h('p', { class: 'hint' }, 'You hold no scope here that could be given.'));
    } else {
      box.appendChild(h('div', { class: 'scope-groups' }, groupByResource(names).map(function (g) {
        return h('fieldset', { class: 'scope-group' }, h('legend', null, g.resource),
          g.scopes.map(function (s) {
            return h('label', { class: 'check' }, h('input', { type: 'checkbox', name: name, value: s }), s);
          }));
      })));
    }
    box.appendChild(errorSlot(name));
    return box;
  }
  function checked(form, name) {
    return Array.prototype.map.call(form.querySelectorAll('input[name="' + name + '"]:checked'), function (i) { return i.value; });
  }
  function secretPanel(title, secret, onDone) {
    var input = h('input', { type: 'text', readonly: true, value: secret, 'aria-label': title, class: 'mono', id: 'new-secret' });
    var copy = h('button', { type: 'button', class: 'button primary' }, 'Copy');
    copy.addEventListener('click', function () {
      var done = function () { copy.textContent = 'Copied'; };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(secret).then(done, function () { input.select(); document.execCommand('copy'); done(); });
      } else { input.select(); document.execCommand('copy'); done(); }
    });
    return h('section', { class: 'card secret-panel', 'aria-labelledby': 'secret-title' },
      h('h2', { id: 'secret-title' }, title),
      h('p', null, "Copy it now and keep it somewhere safe: it won't be shown again."),
      h('div', { class: 'secret-row' }, input, copy,
        h('button', { type: 'button', class: 'button', onclick: onDone }, 'Done')));
  }
  function confirmDialog(title, text, actionLabel, onConfirm, extra) {
    var error = h('p', { class: 'form-error', role: 'alert' });
    var ok = h('button', { type: 'button', class: 'button danger solid' }, actionLabel);
    var dialog = h('dialog', { 'aria-labelledby': 'dlg-title' },
      h('h2', { id: 'dlg-title' }, title), h('p', null, text), extra || null, error,
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'button', onclick: function () { dialog.close(); } }, 'Cancel'), ok));
    ok.addEventListener('click', function () {
      ok.disabled = true;
      onConfirm().then(function (res) {
        if (res && !res.ok) { error.textContent = messageOf(res); ok.disabled = false; return; }
        dialog.close();
      });
    });
    dialog.addEventListener('close', function () { dialog.remove(); });
    document.body.appendChild(dialog);
    dialog.showModal();
  }
  function emptyState(title, text, action) {
    return h('div', { class: 'empty' }, h('h2', null, title), h('p', null, text), action || null);
  }
  function pageHead(title, text, action) {
    return h('div', { class: 'page-head' }, h('div', null, h('h1', null, title), h('p', null, text)), action || null);
  }

  // ---- Frame: user, workspace switcher, log out ----
  function frame() {
    $('logout').addEventListener('click', function () {
      api('POST', '/api/v1/auth/logout').then(function () { window.location.assign('/login'); });
    });
    return api('GET', '/api/v1/auth/session').then(function (res) {
      state.csrf = res.data.csrf_token;
      return api('GET', '/api/v1/auth/me');
    }).then(function (res) {
      if (res.status === 403 && state.workspaceId) {
        // The remembered workspace is no longer ours: forget it and use the default one.
        localStorage.removeItem(WORKSPACE_KEY);
        state.workspaceId = null;
        return api('GET', '/api/v1/auth/me');
      }
      return res;
    }).then(function (res) {
      state.me = res.data;
      state.scopes = res.data.scopes || [];
      var user = res.data.user || {};
      $('user-name').textContent = user.name ? user.name + ' \u00b7 ' + user.email : user.email || '';
      return switcher();
    });
  }
  function switcher() {
    var current = state.me.workspace;
    var slot = $('workspace-slot');
    if (!can('workspaces:read')) {
      if (current) slot.appendChild(h('span', { class: 'user' }, current.name));
      return Promise.resolve();
    }
    return api('GET', '/api/v1/workspaces?limit=100').then(function (res) {
      var list = (res.data.data || []).filter(function (w) { return w.status === 'active'; });
      if (list.length === 0) return;
      var select = h('select', { 'aria-label': 'Workspace', id: 'workspace' }, list.map(function (w) {
        return h('option', { value: w.id, selected: current && w.id === current.id }, w.name);
      }));
      select.addEventListener('change', function () {
        localStorage.setItem(WORKSPACE_KEY, select.value);
        window.location.reload();
      });
      slot.appendChild(select);
    });
  }

  // ---- Sign in ----
  function loginPage() {
    var form = $('login-form');
    var error = $('login-error');
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      error.textContent = '';
      ['email', 'password'].forEach(function (f) { $(f + '-error').textContent = ''; $(f).removeAttribute('aria-invalid'); });
      var email = $('email').value.trim(), password = $('password').value;
      if (!email) { $('email-error').textContent = 'Enter your email.'; $('email').setAttribute('aria-invalid', 'true'); return; }
      if (!password) { $('password-error').textContent = 'Enter your password.'; $('password').setAttribute('aria-invalid', 'true'); return; }
      var button = form.querySelector('button');
      button.disabled = true;
      api('POST', '/api/v1/auth/session', { email: email, password: password }).then(function (res) {
        button.disabled = false;
        if (res.status === 201) return window.location.assign('/settings/api-tokens');
        error.textContent = res.status === 401 ? 'That email and password do not match.' : messageOf(res);
      }, function () { button.disabled = false; error.textContent = 'The server could not be reached.'; });
    });
  }

  // ---- Settings › API Tokens ----
  function tokensPage(content) {
    var panelSlot = h('div');
    var formSlot = h('div');
    var listCard = h('div', { class: 'card' });
    var sessionsCard = h('div', { class: 'card' });
    var create = h('button', { type: 'button', class: 'button primary' }, 'Create New Token');
    clear(content).append(
      pageHead('API Tokens', 'Personal tokens act as you, with the abilities you give them, within your permissions in the workspace they are used in.', create),
      panelSlot, formSlot, listCard,
      h('div', { class: 'section-head' }, h('h2', null, 'Signed in on these devices'),
        h('p', null, 'Sign out any session you do not recognise.')),
      sessionsCard);
    var catalog = null;
    function loadCatalog() {
      if (catalog) return Promise.resolve(catalog);
      return api('GET', '/api/v1/scopes').then(function (res) {
        var names = res.ok ? res.data.data.map(function (s) { return s.name; }) : state.scopes.filter(function (s) { return s.indexOf('*') < 0; });
        catalog = names.filter(function (n) { return can(n); });
        return catalog;
      });
    }
    create.addEventListener('click', function () {
      create.disabled = true;
      loadCatalog().then(function (names) { clear(formSlot).appendChild(tokenForm(names)); $('f-name').focus(); });
    });
    function tokenForm(names) {
      var form = h('form', { class: 'card create', novalidate: true, 'aria-labelledby': 'create-title' },
        h('h2', { id: 'create-title' }, 'New token'),
        h('div', { class: 'grid-2' }, textField('name', 'Name', { maxlength: 200, autocomplete: 'off', placeholder: 'e.g. Deploy script' }), expirySelect('expires_at')),
        scopeChecks('abilities', 'Abilities', names),
        h('p', { class: 'form-error', role: 'alert' }),
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'button', onclick: closeForm }, 'Cancel'),
          h('button', { type: 'submit', class: 'button primary' }, 'Create')));
      form.addEventListener('submit', function (event) {
        event.preventDefault();
        resetErrors(form);
        var abilities = checked(form, 'abilities');
        var body = { name: form.elements.name.value.trim(), abilities: abilities };
        var expires = expiryValue(form.elements.expires_at);
        if (expires) body.expires_at = expires;
        if (abilities.length === 0) return fieldErrors(form, { data: { errors: { abilities: ['Pick at least one ability.'] } } });
        api('POST', '/api/v1/users/me/tokens', body).then(function (res) {
          if (res.status !== 201) return fieldErrors(form, res);
          closeForm();
          clear(panelSlot).appendChild(secretPanel('Your new token “' + res.data.name + '”', res.data.token, function () { clear(panelSlot); }));
          loadTokens();
        });
      });
      return form;
    }
    function closeForm() { clear(formSlot); create.disabled = false; }
    function loadTokens() {
      api('GET', '/api/v1/users/me/tokens?limit=100').then(function (res) {
        clear(listCard);
        var tokens = (res.data.data || []).filter(function (t) { return !t.current; });
        if (!res.ok) return listCard.appendChild(h('div', { class: 'card-body notice' }, messageOf(res)));
        if (tokens.length === 0) {
          return listCard.appendChild(emptyState('No tokens yet',
            'Create a token to call the API from a script, a CI job or another service. You choose what it may do.'));
        }
        listCard.appendChild(h('ul', { class: 'rows', 'aria-label': 'Tokens' }, tokens.map(tokenRow)));
      });
    }
    function tokenRow(t) {
      var revoke = h('button', { type: 'button', class: 'button danger small', 'aria-label': 'Revoke ' + t.name }, 'Revoke');
      revoke.addEventListener('click', function () {
        confirmDialog('Revoke token?', 'Anything using “' + t.name + '” will stop working at once. This cannot be undone.', 'Revoke', function () {
          return api('DELETE', '/api/v1/users/me/tokens/' + encodeURIComponent(t.id)).then(function (res) {
            if (res.ok) loadTokens();
            return res;
          });
        });
      });
      return h('li', { class: 'row' + (t.status !== 'active' ? ' inactive' : '') },
        h('div', { class: 'row-main' },
          h('div', { class: 'row-title' }, h('span', null, t.name), t.status !== 'active' ? h('span', { class: 'badge muted' }, t.status) : null),
          meta([['Prefix', h('code', null, t.prefix)], ['Last used', relative(t.last_used_at)], ['Expires', t.expires_at ? when(t.expires_at) : 'Never'], ['Created', when(t.created_at)]]),
          chips(t.abilities)),
        h('div', { class: 'row-actions' }, revoke));
    }
    function loadSessions() {
      api('GET', '/api/v1/auth/sessions').then(function (res) {
        clear(sessionsCard);
        var list = res.data.data || [];
        sessionsCard.appendChild(h('ul', { class: 'rows', 'aria-label': 'Sessions' }, list.map(function (s) {
          var device = describeAgent(s.user_agent);
          var action = s.current ? h('span', { class: 'badge live' }, 'This device')
            : h('button', { type: 'button', class: 'button small', 'aria-label': 'Sign out ' + device + ' (' + (s.ip || 'unknown address') + ')' }, 'Sign out');
          if (!s.current) action.addEventListener('click', function () {
            api('DELETE', '/api/v1/auth/sessions/' + encodeURIComponent(s.id)).then(loadSessions);
          });
          return h('li', { class: 'row' },
            h('div', { class: 'row-main' }, h('div', { class: 'row-title' }, device),
              meta([['IP', s.ip || 'unknown'], ['Signed in', when(s.created_at)], ['Last active', relative(s.last_seen_at)]])),
            h('div', { class: 'row-actions' }, action));
        })));
      });
    }
    loadTokens();
    loadSessions();
  }
  function describeAgent(ua) {
    if (!ua) return 'Unknown device';
    var browser = /Edg\//.test(ua) ? 'Edge' : /Firefox\//.test(ua) ? 'Firefox' : /Chrome\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : null;
    var os = /Windows/.test(ua) ? 'Windows' : /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : /Mac OS X/.test(ua) ? 'macOS' : /Linux/.test(ua) ? 'Linux' : null;
    return browser && os ? browser + ' on ' + os : ua.slice(0, 60);
  }

  // ---- Settings › API Keys ----
  function keysPage(content) {
    var ws = state.me.workspace;
    if (!ws) return clear(content).appendChild(h('div', { class: 'card' }, emptyState('No workspace', 'You are not a member of any workspace yet. Ask an administrator to add you to one.')));
    if (!can('api-keys:read')) {
      return clear(content).append(pageHead('API Keys', 'Keys of the workspace ' + ws.name + '.'),
        h('div', { class: 'card' }, emptyState('No access to API keys', 'Your role in ' + ws.name + ' does not let you see its API keys. Ask an administrator for the api-keys:read permission.')));
    }
    var panelSlot = h('div'), formSlot = h('div'), listCard = h('div', { class: 'card' });
    var create = can('api-keys:create') ? h('button', { type: 'button', class: 'button primary' }, 'Create New Key') : null;
    clear(content).append(pageHead('API Keys', 'Workspace keys for ' + ws.name + ': for servers and services, bound to this workspace, with the scopes you give them.', create), panelSlot, formSlot, listCard);
    var catalog = null;
    if (create) create.addEventListener('click', function () {
      create.disabled = true;
      (catalog ? Promise.resolve(catalog) : api('GET', '/api/v1/scopes').then(function (res) {
        catalog = (res.ok ? res.data.data.map(function (s) { return s.name; }) : []).filter(function (n) { return can(n); });
        return catalog;
      })).then(function (names) { clear(formSlot).appendChild(keyForm(names)); $('f-name').focus(); });
    });
    function keyForm(names) {
      var env = h('div', { class: 'field', role: 'radiogroup', 'aria-labelledby': 'legend-env' },
        h('span', { class: 'legend', id: 'legend-env' }, 'Environment'),
        h('div', { class: 'radio-row' },
          h('label', { class: 'check' }, h('input', { type: 'radio', name: 'environment', value: 'live', checked: true }), 'Live'),
          h('label', { class: 'check' }, h('input', { type: 'radio', name: 'environment', value: 'test' }), 'Test (sk_test_, test data only)')),
        errorSlot('environment'));
      var tier = h('div', { class: 'field' }, h('label', { for: 'f-rate_limit_tier' }, 'Rate limit tier'),
        h('select', { id: 'f-rate_limit_tier', name: 'rate_limit_tier' },
          h('option', { value: '' }, 'Default'), h('option', { value: 'free' }, 'free'), h('option', { value: 'pro' }, 'pro'), h('option', { value: 'enterprise' }, 'enterprise')),
        errorSlot('rate_limit_tier'));
      var allow = h('div', { class: 'field' }, h('label', { for: 'f-ip_allowlist' }, 'IP allowlist'),
        h('textarea', { id: 'f-ip_allowlist', name: 'ip_allowlist', placeholder: 'Any address. Or one per line: 203.0.113.7, 10.0.0.0/8, 2001:db8::/32', 'aria-describedby': 'err-ip_allowlist' }),
        errorSlot('ip_allowlist'));
      var form = h('form', { class: 'card create', novalidate: true, 'aria-labelledby': 'create-title' },
        h('h2', { id: 'create-title' }, 'New key'),
        h('div', { class: 'grid-2' }, textField('name', 'Name', { maxlength: 200, autocomplete: 'off', placeholder: 'e.g. Billing sync' }), expirySelect('expires_at')),
        scopeChecks('scopes', 'Scopes', names),
        h('div', { class: 'grid-2' }, env, tier), allow,
        h('p', { class: 'form-error', role: 'alert' }),
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'button', onclick: closeForm }, 'Cancel'),
          h('button', { type: 'submit', class: 'button primary' }, 'Create')));
      form.addEventListener('submit', function (event) {
        event.preventDefault();
        resetErrors(form);
        var body = {
          name: form.elements.name.value.trim(),
          scopes: checked(form, 'scopes'),
          environment: form.querySelector('input[name="environment"]:checked').value,
        };
        var expires = expiryValue(form.elements.expires_at);
        if (expires) body.expires_at = expires;
        if (form.elements.rate_limit_tier.value) body.rate_limit_tier = form.elements.rate_limit_tier.value;
        var ips = form.elements.ip_allowlist.value.split(/[\s,]+/).filter(Boolean);
        if (ips.length) body.ip_allowlist = ips;
        if (body.scopes.length === 0) return fieldErrors(form, { data: { errors: { scopes: ['Pick at least one scope.'] } } });
        api('POST', '/api/v1/api-keys', body).then(function (res) {
          if (res.status !== 201) return fieldErrors(form, res);
          closeForm();
          showSecret('Your new key “' + res.data.name + '”', res.data.key);
          loadKeys();
        });
      });
      return form;
    }
    function closeForm() { clear(formSlot); if (create) create.disabled = false; }
    function showSecret(title, key) { clear(panelSlot).appendChild(secretPanel(title, key, function () { clear(panelSlot); })); panelSlot.scrollIntoView({ block: 'nearest' }); }
    function loadKeys() {
      api('GET', '/api/v1/api-keys?limit=100').then(function (res) {
        clear(listCard);
        if (!res.ok) return listCard.appendChild(h('div', { class: 'card-body notice' }, messageOf(res)));
        var keys = res.data.data || [];
        if (keys.length === 0) {
          return listCard.appendChild(emptyState('No API keys in ' + ws.name,
            create ? 'Create a key for each service that calls the API, with only the scopes it needs.' : 'Nobody has created a key in this workspace yet.'));
        }
        listCard.appendChild(h('ul', { class: 'rows', 'aria-label': 'API keys' }, keys.map(keyRow)));
      });
    }
    function keyRow(k) {
      var usage = h('div', { class: 'usage' });
      var actions = h('div', { class: 'row-actions' });
      if (k.status === 'active' && can('api-keys:update')) {
        var rotate = h('button', { type: 'button', class: 'button small', 'aria-label': 'Rotate ' + k.name }, 'Rotate');
        var revoke = h('button', { type: 'button', class: 'button danger small', 'aria-label': 'Revoke ' + k.name }, 'Revoke');
        rotate.addEventListener('click', function () { rotateDialog(k); });
        // Rotating issues a key with this key's scopes: offered only when the user holds them all
        // (the API refuses the rest with 403); revoking takes power away and is always offered.
        var mayRotate = (k.scopes || []).every(can);
        revoke.addEventListener('click', function () {
          confirmDialog('Revoke key?', 'Anything using “' + k.name + '” will stop working at once. This cannot be undone.', 'Revoke', function () {
            return api('POST', '/api/v1/api-keys/' + encodeURIComponent(k.id) + '/revoke').then(function (res) { if (res.ok) loadKeys(); return res; });
          });
        });
        if (mayRotate) actions.append(rotate);
        actions.append(revoke);
      }
      var badges = [h('span', { class: 'badge ' + (k.environment === 'test' ? 'test' : 'live') }, k.environment === 'test' ? 'Test' : 'Live')];
      if (k.status !== 'active') badges.push(h('span', { class: 'badge ' + (k.status === 'revoked' ? 'danger' : 'muted') }, k.status));
      else if (k.expires_at && new Date(k.expires_at).getTime() - Date.now() < 7 * 86400000) badges.push(h('span', { class: 'badge muted' }, 'expires soon'));
      var row = h('li', { class: 'row' + (k.status !== 'active' ? ' inactive' : ''), 'data-key-id': k.id },
        h('div', { class: 'row-main' },
          h('div', { class: 'row-title' }, h('span', null, k.name), badges),
          meta([['Prefix', h('code', null, k.prefix)], ['Last used', h('span', { 'data-last-used': '' }, relative(k.last_used_at))],
            ['Expires', k.expires_at ? when(k.expires_at) : 'Never'],
            ['Limit', k.rate_limit ? k.rate_limit.limit + ' / ' + k.rate_limit.window_seconds + ' s' : k.rate_limit_tier || 'default']]
            .concat(k.ip_allowlist && k.ip_allowlist.length ? [['IPs', k.ip_allowlist.join(', ')]] : [])),
          chips(k.scopes)),
        usage, actions);
      api('GET', '/api/v1/api-keys/' + encodeURIComponent(k.id)).then(function (res) {
        if (!res.ok) return;
        usage.appendChild(chart(res.data.usage || []));
        row.querySelector('[data-last-used]').textContent = relative(res.data.last_used_at);
      });
      return row;
    }
    function rotateDialog(k) {
      var grace = h('select', { id: 'f-grace', name: 'grace' },
        h('option', { value: '0' }, 'At once'), h('option', { value: '3600' }, '1 hour'),
        h('option', { value: '86400', selected: true }, '24 hours'), h('option', { value: '604800' }, '7 days'));
      var extra = h('div', { class: 'field' }, h('label', { for: 'f-grace' }, 'Old key keeps working for'), grace);
      confirmDialog('Rotate “' + k.name + '”?', 'A new key with the same settings is created. Give the old one time to be replaced.', 'Rotate', function () {
        return api('POST', '/api/v1/api-keys/' + encodeURIComponent(k.id) + '/rotate', { grace_period_seconds: Number(grace.value) }).then(function (res) {
          if (res.status === 201) { showSecret('The new key for “' + k.name + '”', res.data.key); loadKeys(); }
          return res;
        });
      }, extra);
    }
    loadKeys();
  }

  /** 30 bars, one a day (UTC), today last; the numbers are in each bar's title. */
  function chart(usage) {
    var counts = {};
    usage.forEach(function (u) { counts[u.day] = u.count; });
    var days = [];
    for (var i = 29; i >= 0; i--) days.push(new Date(Date.now() - i * 86400000).toISOString().slice(0, 10));
    var max = Math.max.apply(null, days.map(function (d) { return counts[d] || 0; }).concat([1]));
    var total = days.reduce(function (s, d) { return s + (counts[d] || 0); }, 0);
    if (total === 0) return h('p', { class: 'usage-caption' }, 'No requests in the last 30 days');
    var W = 220, H = 44, bw = W / 30;
    var root = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': 'Requests per day, last 30 days: ' + total + ' in all', preserveAspectRatio: 'none' });
    days.forEach(function (d, idx) {
      var c = counts[d] || 0;
      var bh = c ? Math.max(2, (c / max) * (H - 4)) : 0;
      var rect = svg('rect', { class: 'bar' + (idx === 29 ? ' today' : ''), x: (idx * bw + 1).toFixed(2), y: (H - 1 - bh).toFixed(2), width: (bw - 2).toFixed(2), height: bh.toFixed(2), rx: 1 });
      var title = svg('title', {});
      title.textContent = d + ': ' + c + ' request' + (c === 1 ? '' : 's');
      rect.appendChild(title);
      root.appendChild(rect);
    });
    root.appendChild(svg('line', { class: 'base', x1: 0, y1: H - 0.5, x2: W, y2: H - 0.5 }));
    return h('div', null, root, h('p', { class: 'usage-caption' }, total.toLocaleString() + ' request' + (total === 1 ? '' : 's') + ' in 30 days'));
  }

  // ---- Settings › Audit ----
  function auditPage(content) {
    if (!can('audit-logs:read')) {
      return clear(content).append(pageHead('Audit log', 'What happened in this workspace.'),
        h('div', { class: 'card' }, emptyState('No access to the audit log', 'Your role here does not include audit-logs:read.')));
    }
    var COLUMNS = ['When', 'Action', 'Actor', 'Target', 'IP'];
    var body = h('tbody');
    var more = h('div', { class: 'more' });
    var card = h('div', { class: 'card' }, h('div', { class: 'table-wrap' }, h('table', { class: 'audit' },
      h('thead', null, h('tr', null, COLUMNS.map(function (c) { return h('th', { scope: 'col' }, c); }))),
      body)), more);
    var ws = state.me.workspace;
    clear(content).append(pageHead('Audit log', 'Every change to keys, tokens, users and memberships' + (ws ? ' in ' + ws.name : '') + ', newest first.'), card);
    var people = {};
    var me = state.me.user || {};
    if (me.id) people[me.id] = 'You';
    var loadPeople = can('users:read') ? api('GET', '/api/v1/users?limit=100').then(function (res) {
      (res.data.data || []).forEach(function (u) { if (!people[u.id]) people[u.id] = u.email; });
    }) : Promise.resolve();
    function who(type, id) {
      if (!id) return type;
      if (people[id]) return [people[id] + ' ', h('span', { class: 'faint' }, '(' + type + ')')];
      return [type + ' ', h('code', null, id)];
    }
    function cell(label, attrs) {
      var td = h('td', Object.assign({ 'data-label': label }, attrs || {}));
      for (var i = 2; i < arguments.length; i++) append(td, arguments[i]);
      return td;
    }
    function load(cursor) {
      api('GET', '/api/v1/audit-logs?limit=50' + (cursor ? '&cursor=' + encodeURIComponent(cursor) : '')).then(function (res) {
        return loadPeople.then(function () { return res; });
      }).then(function (res) {
        clear(more);
        if (!res.ok) return more.appendChild(h('p', { class: 'notice' }, messageOf(res)));
        var rows = res.data.data || [];
        if (!cursor && rows.length === 0) body.appendChild(h('tr', null, h('td', { colspan: 5 }, 'Nothing has happened here yet.')));
        rows.forEach(function (r) {
          body.appendChild(h('tr', null,
            cell('When', { class: 'nowrap' }, when(r.created_at)),
            cell('Action', null, h('code', null, r.action)),
            cell('Actor', null, who(r.actor_type, r.actor_id)),
            cell('Target', null, r.target_type === 'user' && people[r.target_id] ? who('user', r.target_id) : [r.target_type + ' ', r.target_id ? h('code', null, r.target_id) : null]),
            cell('IP', { class: 'nowrap' }, r.ip || '')));
        });
        more.hidden = !res.data.next_cursor;
        if (res.data.next_cursor) more.appendChild(h('button', { type: 'button', class: 'button', onclick: function () { load(res.data.next_cursor); } }, 'Load more'));
      });
    }
    load(null);
  }

  // ---- Boot ----
  if (page === 'login') return loginPage();
  var content = $('content');
  frame().then(function () {
    if (page === 'api-tokens') tokensPage(content);
    else if (page === 'api-keys') keysPage(content);
    else if (page === 'audit') auditPage(content);
  }, function () {
    clear(content).appendChild(h('p', { class: 'notice' }, 'The dashboard could not reach the server. Reload the page to try again.'));
  });
})();
