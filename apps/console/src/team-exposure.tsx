// Supervisors see how much each analyst was shown in the last day (GET /v1/exposure/analysts):
// counts per subject, never which files.
import { useApiRead } from './use-api.ts';

interface TeamAnswer {
  analysts: { sub: string; previews: number; reveals: number }[];
  truncated: boolean;
}

export function TeamExposure() {
  const { data: team, error } = useApiRead<TeamAnswer>('/v1/exposure/analysts');
  return (
    <section class="saved" aria-labelledby="team-title">
      <h2 id="team-title">Exposure, last 24 h</h2>
      {error !== null && <p class="muted small">{error}</p>}
      {team !== null && team.analysts.length === 0 && <p class="muted small">Nobody was shown content.</p>}
      {team !== null && team.analysts.length > 0 && (
        <table class="data small">
          <thead>
            <tr>
              <th scope="col">Analyst</th>
              <th scope="col">Previews</th>
              <th scope="col">Reveals</th>
            </tr>
          </thead>
          <tbody>
            {team.analysts.map((row) => (
              <tr key={row.sub}>
                <td>{row.sub}</td>
                <td class="num">{row.previews}</td>
                <td class="num">{row.reveals}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
