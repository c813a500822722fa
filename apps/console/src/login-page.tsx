// Development sign-in against the local issuer (POST /v1/dev/token; absent in production, where the
// identity provider's sign-in takes its place: the OIDC code flow is a documented seam, see README).
import { useState } from 'preact/hooks';
import { createApiClient, errorText } from './api.ts';
import type { Role } from './routes.ts';

const roles: { value: Role; label: string }[] = [
  { value: 'analyst', label: 'Analyst' },
  { value: 'supervisor', label: 'Supervisor' },
  { value: 'auditor', label: 'Auditor' },
  { value: 'operator', label: 'Operator' },
];

const anonymous = createApiClient({ token: () => null, onUnauthorized: () => {} });

export function LoginPage(props: { onToken: (token: string) => void }) {
  const [role, setRole] = useState<Role>('analyst');
  const [sub, setSub] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

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
      <form class="panel login-form" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">Sign in to triage</h1>
        <p class="muted">
          Development sign-in with the local issuer. In production the identity provider signs you in.
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
          A lower-case id such as <code>{role}-1</code> (never a name or an e-mail address): it names you in
          the audit trail.
        </p>
        <button type="submit" class="primary" data-testid="login-submit" disabled={busy}>
          Sign in
        </button>
        {error !== null && (
          <p role="alert" class="error">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}
