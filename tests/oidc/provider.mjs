// A real OpenID provider for the sign-in tests: oidc-provider (a certified implementation) with its
// development sign-in pages, on the loopback only. tests/e2e/test_oidc.py starts it; the portal
// finds it through its discovery document, as it finds Entra ID or Keycloak.
//
//   PORT            the port to listen on (127.0.0.1)
//   REDIRECT_URI    the portal's callback, the only one the test client may use
//   LOGOUT_URI      where the provider sends the browser back after signing out
//   ACCOUNTS_FILE   JSON {login: {claims}}, read at every sign-in, so that a test can change a
//                   person's name between two sign-ins; the login is the subject id (`sub`)
// Any password is accepted: the development pages ask for one but do not check it.
import { readFileSync } from 'node:fs';

import Provider from 'oidc-provider';

const { PORT, REDIRECT_URI, LOGOUT_URI, ACCOUNTS_FILE } = process.env;
const issuer = `http://127.0.0.1:${PORT}`;

const configuration = {
  clients: [{
    client_id: 'styrmodell',
    client_secret: 'styrmodell-test-secret',
    redirect_uris: [REDIRECT_URI],
    post_logout_redirect_uris: [LOGOUT_URI],
    token_endpoint_auth_method: 'client_secret_post',
  }],
  // What each scope releases. `groups` rides with `profile` so that a staff group reaches the portal.
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name', 'preferred_username', 'groups'],
  },
  pkce: { required: () => true }, // the portal must send a code challenge
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  async findAccount(ctx, login) {
    const person = JSON.parse(readFileSync(ACCOUNTS_FILE, 'utf8'))[login];
    if (!person) return undefined;
    return { accountId: login, async claims() { return { ...person, sub: login }; } };
  },
};

const provider = new Provider(issuer, configuration);
provider.listen(Number(PORT), '127.0.0.1', () => console.log(`oidc-provider listening on ${issuer}`));
