/** The report's "Privacy audit" section: ε̂ per attack and method beside the claimed ε, the failure loud. */
import { type Html, html } from '../util/escape.js';
import type { RunAudit } from './audit.js';

type Estimate = RunAudit['attacks'][number]['estimates'][number];

export function auditSection(audit: RunAudit | undefined): Html | '' {
  if (!audit) return '';
  const methods = [...new Set(audit.attacks.flatMap((x) => x.estimates.map((e) => e.method)))];
  const claim = audit.claimedEpsilon === null ? 'none' : String(audit.claimedEpsilon);
  const c = audit.canaries;
  const meta = html`${c.in} canaries trained on, ${c.out} held out${c.mislabel ? ', mislabelled' : ''}${c.repeat > 1 ? html`, each IN canary ${c.repeat} times` : ''}; confidence ${audit.confidence}, δ = ${audit.delta}, threshold: ${audit.threshold}; claimed ε: ${claim}${audit.accountant ? ` (${audit.accountant.toUpperCase()} accountant)` : ''}.`;
  const cell = (e: Estimate | undefined): Html => {
    if (!e) return html`<td>-</td>`;
    const bad = audit.claimedEpsilon !== null && e.epsilon > audit.claimedEpsilon;
    const t = e.threshold === null ? 'no threshold' : `threshold ${e.threshold.toPrecision(4)}`;
    const title = `${t}; ${e.counts.correct}/${e.counts.guesses} guesses right`;
    return bad
      ? html`<td class="up" title="${title}">${e.epsilon.toFixed(3)}</td>`
      : html`<td title="${title}">${e.epsilon.toFixed(3)}</td>`;
  };
  const rows = audit.attacks.map(
    (a) => html`<tr><td>${a.attack}</td>${methods.map((m) => cell(a.estimates.find((e) => e.method === m)))}</tr>`,
  );
  const head = html`<tr><th>attack</th>${methods.map((m) => html`<th>ε̂ ${m}</th>`)}</tr>`;
  const fail = audit.failed
    ? html`<p class="up"><strong>Audit failed:</strong> an ε̂ exceeds the claimed ε = ${claim}; the target is not (${claim}, ${audit.delta})-DP at confidence ${audit.confidence}.</p>`
    : '';
  return html`<h3>Privacy audit</h3><p class="meta">${meta}</p>${fail}<table class="audit">${head}${rows}</table>`;
}
