import { IsOptional, IsString, IsUrl, MaxLength } from 'class-validator';
import { validateEnvironment } from './environment.js';

/** Single sign-on with an OpenID Connect provider; documented in the README's "Single sign-on". */
class OidcVariables {
  @IsOptional()
  // http:// too, for a provider on loopback or in a lab (the service allows plain HTTP for such an issuer only).
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['https', 'http'] },
    { message: 'OIDC_ISSUER_URL must be a full URL, such as https://accounts.google.com' },
  )
  OIDC_ISSUER_URL?: string = undefined;

  @IsOptional()
  @IsString()
  OIDC_CLIENT_ID?: string = undefined;

  @IsOptional()
  @IsString()
  OIDC_CLIENT_SECRET?: string = undefined;

  @IsOptional()
  @IsString()
  @MaxLength(60)
  OIDC_BUTTON_LABEL?: string = undefined;

  // The callback URL registered with the provider; by default this app's own origin + /login/oidc/callback.
  @IsOptional()
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['https', 'http'] },
    {
      message:
        'OIDC_REDIRECT_URL must be a full URL, such as https://sessions.example.org/login/oidc/callback',
    },
  )
  OIDC_REDIRECT_URL?: string = undefined;
}

export interface OidcConfig {
  issuerUrl: string;
  clientId: string;
  clientSecret: string;
  buttonLabel: string;
  /** Undefined: derived from each sign-in's own request (`<origin>/login/oidc/callback`). */
  redirectUrl: string | undefined;
}

/** The provider's settings, or undefined when single sign-on is off (none of the three is set). */
export function loadOidcConfig(
  env: Record<string, string | undefined>,
  problems: string[],
): OidcConfig | undefined {
  const vars = validateEnvironment(OidcVariables, env, problems);
  const required = [vars.OIDC_ISSUER_URL, vars.OIDC_CLIENT_ID, vars.OIDC_CLIENT_SECRET];
  if (required.every((value) => value === undefined)) return undefined;
  if (required.some((value) => value === undefined)) {
    problems.push(
      'OIDC_ISSUER_URL, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET: set all three for single sign-on, or none',
    );
    return undefined;
  }
  return {
    issuerUrl: vars.OIDC_ISSUER_URL ?? '',
    clientId: vars.OIDC_CLIENT_ID ?? '',
    clientSecret: vars.OIDC_CLIENT_SECRET ?? '',
    buttonLabel: vars.OIDC_BUTTON_LABEL ?? 'Sign in with single sign-on',
    redirectUrl: vars.OIDC_REDIRECT_URL,
  };
}
