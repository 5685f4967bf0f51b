// A real OpenID Connect provider for the single sign-on tests: panva's oidc-provider
// (OpenID Certified), with two test accounts and its own login page.
//
//   node tests/oidc/provider.js --port 4011 --redirect-uri http://127.0.0.1:8501/oauth2callback
//
// * redacteur / wachtwoord-redacteur: app role "TwentseKoers.Redacteur" in the `roles` claim,
//   as Microsoft Entra ID puts an assigned app role into the ID token;
// * lezer / wachtwoord-lezer: no role, one group object id in `groups`.
//
// The client is "monitor" with secret "monitor-test-secret" (client_secret_basic). Claims are
// put into the ID token (conformIdTokenClaims off), as Entra does: Streamlit only reads the ID
// token. `prompt=select_account` (Streamlit's default) shows an account chooser when a
// provider session exists; logging out at end_session_endpoint ends that session. "Annuleren"
// on the login page sends the browser back with error=access_denied.
// Prints "oidc-provider luistert op <issuer>" once it accepts requests.

import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

import Provider, { interactionPolicy } from 'oidc-provider';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string' },
    'redirect-uri': { type: 'string', multiple: true, default: [] },
    'client-secret': { type: 'string', default: 'monitor-test-secret' },
  },
});
const port = Number(args.port);
const issuer = `http://127.0.0.1:${port}`;

const ACCOUNTS = {
  redacteur: {
    password: 'wachtwoord-redacteur',
    claims: {
      sub: '7c1d2e3f-redacteur-0001', name: 'Rita Redacteur', email: 'rita@gemeente.example',
      email_verified: true, preferred_username: 'rita@gemeente.example',
      roles: ['TwentseKoers.Redacteur'], groups: [],
    },
  },
  lezer: {
    password: 'wachtwoord-lezer',
    claims: {
      sub: '9a8b7c6d-lezer-0002', name: 'Lex Lezer', email: 'lex@gemeente.example',
      email_verified: true, preferred_username: 'lex@gemeente.example',
      roles: [], groups: ['0d0e0f10-1112-1314-1516-171819202122'],
    },
  },
};
const BY_SUB = Object.fromEntries(Object.values(ACCOUNTS).map((a) => [a.claims.sub, a]));

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (title, body) => `<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8">
<title>${escape(title)}</title></head><body><main><h1>${escape(title)}</h1>${body}</main></body></html>`;

const policy = interactionPolicy.base();
// Entra ID and Keycloak accept prompt=select_account: with a session, pick the account.
policy.add(new interactionPolicy.Prompt({ name: 'select_account', requestable: true }), 1);

const provider = new Provider(issuer, {
  clients: [{
    client_id: 'monitor',
    client_secret: args['client-secret'],
    redirect_uris: args['redirect-uri'],
    post_logout_redirect_uris: args['redirect-uri'],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  claims: {
    openid: ['sub', 'roles', 'groups'],
    email: ['email', 'email_verified'],
    profile: ['name', 'preferred_username'],
  },
  conformIdTokenClaims: false,
  cookies: { keys: ['oidc-test-cookie-key-not-secret'] },
  pkce: { required: () => false },
  findAccount: (ctx, sub) => {
    const account = BY_SUB[sub];
    return account && { accountId: sub, claims: () => ({ ...account.claims }) };
  },
  interactions: { policy, url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  // First-party app (as with admin consent in Entra): no consent screen.
  loadExistingGrant: async (ctx) => {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    grant.addOIDCClaims(['roles', 'groups', 'name', 'email', 'email_verified', 'preferred_username']);
    await grant.save();
    return grant;
  },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      logoutSource: async (ctx, form) => {
        ctx.body = page('Afmelden', `${form}<button type="submit" form="op.logoutForm" name="logout"
          value="yes">Ja, afmelden</button>`);
      },
      postLogoutSuccessSource: async (ctx) => { ctx.body = page('Afgemeld', ''); },
    },
  },
});
provider.proxy = false;

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return Object.fromEntries(new URLSearchParams(body));
}

function loginForm(uid, message = '') {
  return page('Aanmelden bij de test-provider', `${message ? `<p role="alert">${escape(message)}</p>` : ''}
    <form method="post" action="/interaction/${escape(uid)}/login">
      <label>Gebruikersnaam <input name="username" autocomplete="username"></label>
      <label>Wachtwoord <input name="password" type="password" autocomplete="current-password"></label>
      <button type="submit">Aanmelden</button>
    </form>
    <form method="post" action="/interaction/${escape(uid)}/abort"><button type="submit">Annuleren</button></form>`);
}

provider.use(async (ctx, next) => {
  const match = ctx.path.match(/^\/interaction\/([^/]+)(\/(login|continue|abort))?$/);
  if (!match) return next();
  ctx.set('cache-control', 'no-store');
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  const [, uid, , action] = match;
  if (ctx.method === 'GET' && !action) {
    ctx.type = 'html';
    if (details.prompt.name === 'select_account') {
      const account = BY_SUB[details.session?.accountId];
      ctx.body = page('Kies een account', `<form method="post" action="/interaction/${escape(uid)}/continue">
        <button type="submit">Doorgaan als ${escape(account?.claims.name ?? '?')}</button></form>`);
    } else {
      ctx.body = loginForm(uid);
    }
    return undefined;
  }
  if (ctx.method === 'POST' && action === 'login') {
    const form = await readForm(ctx.req);
    const account = ACCOUNTS[form.username];
    if (!account || account.password !== form.password) {
      ctx.type = 'html';
      ctx.body = loginForm(uid, 'Onjuiste gebruikersnaam of wachtwoord.');
      return undefined;
    }
    console.log(`oidc-provider: ${form.username} aangemeld`);
    return provider.interactionFinished(ctx.req, ctx.res, {
      login: { accountId: account.claims.sub }, select_account: {},
    }, { mergeWithLastSubmission: false });
  }
  if (ctx.method === 'POST' && action === 'abort') {
    // The user cancels (or, in Entra, is not assigned to the app): error=access_denied.
    return provider.interactionFinished(ctx.req, ctx.res, {
      error: 'access_denied', error_description: 'End-User aborted interaction',
    }, { mergeWithLastSubmission: false });
  }
  if (ctx.method === 'POST' && action === 'continue') {
    return provider.interactionFinished(ctx.req, ctx.res, { select_account: {} },
      { mergeWithLastSubmission: true });
  }
  return next();
});

createServer(provider.callback()).listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider luistert op ${issuer}`);
});
