// Sign-in: the ways the API offers (GET /v1/auth/config). With an identity provider, a plain link to
// the API's OIDC start route (a top-level navigation: the CSP lets the browser fetch only this
// origin, so the API does the code exchange and hands the token back in /login's fragment). With the
// local development issuer, the role-and-subject form (POST /v1/dev/token).
import { useEffect, useState } from 'preact/hooks';
import { createApiClient, errorText } from './api.ts';
import type { Role } from './routes.ts';

const roles: { value: Role; label: string }[] = [
  { value: 'analyst', label: 'Analyst' },
  { value: 'supervisor', label: 'Supervisor' },
  { value: 'auditor', label: 'Auditor' },
  { value: 'operator', label: 'Operator' },
];

const anonymous = createApiClient({ token: () => null, onUnauthorized: () => {} });

interface AuthConfig {
  devLogin: boolean;
  oidc: boolean;
  oidcProvider?: string;
}

/** An API that cannot say (an older one, or a failure): the development form, which answers 404 if it is off. */
const fallbackConfig: AuthConfig = { devLogin: true, oidc: false };

export function LoginPage(props: { onToken: (token: string) => void }) {
  const [role, setRole] = useState<Role>('analyst');
  const [sub, setSub] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [config, setConfig] = useState<AuthConfig | null>(null);

  useEffect(() => {
    anonymous.json<AuthConfig>('/v1/auth/config').then(setConfig, () => setConfig(fallbackConfig));
  }, []);

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer = await anonymous.json<{ token: string; expiresAt: string }>('/v1/dev/token', {
        method: 'POST',
        body: { role, sub: sub.trim() || `${role}-1` },
      });
      props.onToken(answer.token);
    } catch (failure) {
      setError(errorText(failure));
      setBusy(false);
    }
  }

  return (
    <main id="main" class="login">
      <div class="panel login-form">
        <h1 id="login-title">Sign in to triage</h1>
        {config?.oidc === true && (
          <a class="button primary" href="/v1/auth/oidc/start" data-testid="login-oidc">
            Sign in with {config.oidcProvider ?? 'the identity provider'}
          </a>
        )}
        {config?.devLogin === true && (
          <DevLoginForm onSubmit={submit} {...{ role, setRole, sub, setSub, busy }} />
        )}
        {config !== null && !config.devLogin && !config.oidc && (
          <p role="alert" class="error">
            No sign-in is configured on this API.
          </p>
        )}
        {error !== null && (
          <p role="alert" class="error">
            {error}
          </p>
        )}
      </div>
    </main>
  );
}

interface DevLoginFormProps {
  onSubmit: (event: SubmitEvent) => void;
  role: Role;
  setRole: (role: Role) => void;
  sub: string;
  setSub: (sub: string) => void;
  busy: boolean;
}

function DevLoginForm({ onSubmit, role, setRole, sub, setSub, busy }: DevLoginFormProps) {
  return (
    <form onSubmit={onSubmit} aria-label="Development sign-in">
      <p class="muted">
        Development sign-in with the local issuer (never in production, where the identity provider signs you
        in).
      </p>
      <label for="login-role">Role</label>
      <select
        id="login-role"
        data-testid="login-role"
        value={role}
        onChange={(event) => setRole(event.currentTarget.value as Role)}
      >
        {roles.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <label for="login-sub">Subject (user id)</label>
      <input
        id="login-sub"
        data-testid="login-sub"
        value={sub}
        placeholder={`${role}-1`}
        autoComplete="username"
        spellcheck={false}
        aria-describedby="login-sub-hint"
        onInput={(event) => setSub(event.currentTarget.value)}
      />
      <p id="login-sub-hint" class="muted small">
        A lower-case id such as <code>{role}-1</code> (never a name or an e-mail address): it names you in the
        audit trail.
      </p>
      <button type="submit" class="primary" data-testid="login-submit" disabled={busy}>
        Sign in
      </button>
    </form>
  );
}
