/** The report's "Privacy audit" section: ε̂ per attack and method beside the claimed ε, the failure loud. */
import type { RunAudit } from './audit.js';

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function auditSection(audit: RunAudit | undefined): string {
  if (!audit) return '';
  const methods = [...new Set(audit.attacks.flatMap((x) => x.estimates.map((e) => e.method)))];
  const claim = audit.claimedEpsilon === null ? 'none' : String(audit.claimedEpsilon);
  const c = audit.canaries;
  const meta = `${c.in} canaries trained on, ${c.out} held out${c.mislabel ? ', mislabelled' : ''}${c.repeat > 1 ? `, each IN canary ${c.repeat} times` : ''}; confidence ${audit.confidence}, δ = ${audit.delta}, threshold: ${esc(audit.threshold)}; claimed ε: ${claim}.`;
  const cell = (e: RunAudit['attacks'][number]['estimates'][number] | undefined): string => {
    if (!e) return '<td>-</td>';
    const bad = audit.claimedEpsilon !== null && e.epsilon > audit.claimedEpsilon;
    const t = e.threshold === null ? 'no threshold' : `threshold ${e.threshold.toPrecision(4)}`;
    return `<td${bad ? ' class="up"' : ''} title="${esc(`${t}; ${e.counts.correct}/${e.counts.guesses} guesses right`)}">${e.epsilon.toFixed(3)}</td>`;
  };
  const rows = audit.attacks.map(
    (a) =>
      `<tr><td>${esc(a.attack)}</td>${methods.map((m) => cell(a.estimates.find((e) => e.method === m))).join('')}</tr>`,
  );
  const head = `<tr><th>attack</th>${methods.map((m) => `<th>ε̂ ${esc(m)}</th>`).join('')}</tr>`;
  const fail = audit.failed
    ? `<p class="up"><strong>Audit failed:</strong> an ε̂ exceeds the claimed ε = ${claim}; the target is not (${claim}, ${audit.delta})-DP at confidence ${audit.confidence}.</p>`
    : '';
  return `<h3>Privacy audit</h3><p class="meta">${meta}</p>${fail}<table class="audit">${head}${rows.join('')}</table>`;
}
