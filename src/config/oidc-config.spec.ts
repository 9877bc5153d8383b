import { describe, expect, it } from '@jest/globals';
import { loadOidcConfig } from './oidc-config.js';

const provider = {
  OIDC_ISSUER_URL: 'https://login.example.org/realms/clinic',
  OIDC_CLIENT_ID: 'therapy-sessions',
  OIDC_CLIENT_SECRET: 'a-secret',
};

describe('loadOidcConfig', () => {
  it('is off when none of the three is set', () => {
    const problems: string[] = [];
    expect(loadOidcConfig({}, problems)).toBeUndefined();
    expect(loadOidcConfig({ OIDC_BUTTON_LABEL: 'Sign in with Okta' }, problems)).toBeUndefined();
    expect(problems).toEqual([]);
  });

  it('reads the provider, with the default button label and the redirect URI left to each request', () => {
    const problems: string[] = [];
    expect(loadOidcConfig(provider, problems)).toEqual({
      issuerUrl: provider.OIDC_ISSUER_URL,
      clientId: 'therapy-sessions',
      clientSecret: 'a-secret',
      buttonLabel: 'Sign in with single sign-on',
      redirectUrl: undefined,
    });
    const redirectUrl = 'https://sessions.example.org/login/oidc/callback';
    expect(
      loadOidcConfig(
        { ...provider, OIDC_BUTTON_LABEL: 'Sign in with Keycloak', OIDC_REDIRECT_URL: redirectUrl },
        problems,
      ),
    ).toMatchObject({ buttonLabel: 'Sign in with Keycloak', redirectUrl });
    expect(problems).toEqual([]);
  });

  it('refuses one or two of the three, and an issuer or redirect that is not a URL', () => {
    for (const missing of Object.keys(provider)) {
      const problems: string[] = [];
      expect(loadOidcConfig({ ...provider, [missing]: undefined }, problems)).toBeUndefined();
      expect(problems).toEqual([expect.stringMatching(/set all three for single sign-on, or none/)]);
    }
    const problems: string[] = [];
    loadOidcConfig(
      { ...provider, OIDC_ISSUER_URL: 'clinic', OIDC_REDIRECT_URL: '/login/oidc/callback' },
      problems,
    );
    expect(problems).toEqual([
      expect.stringMatching(/^OIDC_ISSUER_URL/),
      expect.stringMatching(/^OIDC_REDIRECT_URL/),
    ]);
  });
});
