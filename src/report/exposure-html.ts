/**
 * The report's answer to "which records leak, and for whom": each attack's metrics per slice (class)
 * with 95% intervals, the slice that leaks most named, and each attack's most exposed records shown
 * (the picture for images, the feature row for tables) with label, prediction, truth, risk and their
 * ranks in every attack. Untrusted slice figures (a TPR level below 1/(non-members of the slice)) are
 * not printed: a mark says why.
 */
import { trustedTpr, type SliceMetrics } from '../metrics/index.js';
import { pictureUri } from './png.js';
import type { AttackResult, RunResult } from './results.js';
import { type Html, html } from '../util/escape.js';

const f3 = (v: number | null | undefined): string => (typeof v === 'number' ? v.toFixed(3) : 'n/a');
const pct = (level: string): string => `${+(Number(level) * 100).toPrecision(6)}%`;
const ci = (i: readonly [number, number] | undefined): Html | '' =>
  i ? html` <span class="ci">[${f3(i[0])}, ${f3(i[1])}]</span>` : '';
/** An interval on its own line, for the narrow columns of the slice table. */
const ciBelow = (i: readonly [number, number] | undefined): Html | '' =>
  i ? html`<br><span class="ci">[${f3(i[0])}, ${f3(i[1])}]</span>` : '';
const sliceName = (s: { by: string; value: number | string }): string =>
  s.by === 'class' ? `class ${s.value}` : `${s.by} = ${s.value}`;

/** The FPR level the slice table shows: the lowest the report has at which every slice is measurable, else the highest. */
export function sliceLevel(run: RunResult): string | null {
  const levels = [...new Set(run.attacks.flatMap((a) => Object.keys(a.metrics.tprAtFpr)))].sort(
    (x, y) => Number(x) - Number(y),
  );
  const slices = run.attacks.flatMap((a) => a.slices ?? []).filter((s) => s.metrics);
  return (
    levels.find((l) => slices.every((s) => trustedTpr(s, l) || s.metrics?.flags?.some((f) => !f.levels))) ??
    levels.at(-1) ??
    null
  );
}

function sliceCell(s: SliceMetrics | undefined, level: string | null): Html {
  if (!s?.metrics) return html`<td class="na" title="${s?.reason ?? ''}">–</td><td></td>`;
  const tpr =
    level === null
      ? html``
      : trustedTpr(s, level)
        ? html`${f3(s.metrics.tprAtFpr[level])}${ciBelow(s.metrics.ci?.tprAtFpr[level])}`
        : html`<span class="flag" title="too few non-members to measure this level">*</span>`;
  return html`<td>${f3(s.metrics.auc)}${ciBelow(s.metrics.ci?.auc)}</td><td>${tpr}</td>`;
}

/** The worst slice of the run, across attacks: the sentence a reader looks for. */
function worstSentence(run: RunResult): Html | '' {
  const worst = run.attacks
    .flatMap((a) => (a.worstSlice ? [{ a, w: a.worstSlice }] : []))
    .sort((p, q) => q.w.auc - p.w.auc)[0];
  if (!worst) return '';
  const s = worst.a.slices?.find((x) => x.by === worst.w.by && x.value === worst.w.value);
  const per = run.attacks.flatMap((a) =>
    a.worstSlice ? [html`${a.name}: ${sliceName(a.worstSlice)} (AUC ${f3(a.worstSlice.auc)})`] : [],
  );
  return html`<p class="worst">The slice that leaks most: <b>${sliceName(worst.w)}</b>, to ${worst.a.name} (AUC ${f3(worst.w.auc)}${ci(s?.metrics?.ci?.auc)}). Per attack: ${per.map((p, i) => (i ? html`; ${p}` : p))}.</p>`;
}

/** One table of every slice (rows) by attack (AUC and TPR at the level chosen, with intervals). */
export function slicesSection(run: RunResult): Html | '' {
  const withSlices = run.attacks.filter((a) => a.slices?.length);
  if (!withSlices.length) return '';
  const level = sliceLevel(run);
  const keys = [...new Map(withSlices.flatMap((a) => a.slices!.map((s) => [`${s.by}\u0000${s.value}`, s]))).values()];
  const head = html`<tr><th class="l">slice</th><th>members / non-members</th>${withSlices.map(
    (a) => html`<th>${a.name} AUC</th><th>${a.name} TPR@${level === null ? '' : pct(level)}</th>`,
  )}</tr>`;
  const row = (k: SliceMetrics): Html => {
    const cells = withSlices.map((a) =>
      sliceCell(
        a.slices!.find((s) => s.by === k.by && s.value === k.value),
        level,
      ),
    );
    const worst = withSlices.some((a) => a.worstSlice?.by === k.by && a.worstSlice.value === k.value);
    return html`<tr${worst ? html` class="worst"` : html``}><td class="l">${sliceName(k)}</td><td>${k.members} / ${k.nonMembers}</td>${cells}</tr>`;
  };
  const note = html`<p class="meta">AUC and TPR of each attack over each slice's records alone, with 95% bootstrap intervals; the bold row is some attack's most exposed slice. * marks a TPR level below 1/(the slice's non-members): not measurable there, so not shown.</p>`;
  return html`<h3>Slices: who leaks</h3>${worstSentence(run)}<table class="metrics slices"><thead>${head}</thead><tbody>${keys.map(row)}</tbody></table>${note}`;
}

/** A record as the page shows it: its picture, or its feature row (the first 12 values). */
function recordView(run: RunResult, record: number): Html {
  const r = run.records;
  const shown = r?.top.find((t) => t.record === record);
  if (!r || !shown) return html``;
  if (r.kind === 'image') {
    const uri = pictureUri(shown.features, r.shape);
    if (uri) return html`<img class="record" alt="record ${record}" width="56" height="56" src="${uri}">`;
  }
  const more = shown.features.length > 12 ? ` … (${shown.features.length} features)` : '';
  return html`<code class="row">${shown.features
    .slice(0, 12)
    .map((v) => +v.toPrecision(3))
    .join(', ')}${more}</code>`;
}

/** The ranks of record index i in every attack: "loss 512 · lira 1". */
const ranksAcross = (run: RunResult, i: number): string =>
  run.attacks.map((a) => `${a.name} ${a.exposure?.rank[i] ?? '?'}`).join(' · ');

function attackTop(run: RunResult, a: AttackResult, top: number): Html {
  const rank = a.exposure!.rank;
  const order = rank
    .map((k, i) => [k, i] as const)
    .sort((p, q) => p[0] - q[0] || p[1] - q[1])
    .slice(0, top);
  const card = ([k, i]: readonly [number, number]): Html => {
    const s = a.samples;
    const pred = run.records?.prediction[i];
    const member = s.member[i] === 1;
    return html`<div class="card${member ? ' m' : ''}" title="rank in each attack: ${ranksAcross(run, i)}"><b>#${k}</b> · record ${s.record[i]}${recordView(run, s.record[i]!)}label ${s.label[i]}, predicted ${pred ?? 'n/a'}<br>${member ? 'member' : 'non-member'} · risk ${f3(a.exposure!.risk[i])}<br>score ${+Number(s.score[i]).toPrecision(4)}<br><span class="ranks">${ranksAcross(run, i)}</span></div>`;
  };
  return html`<h4>${a.name} (${a.kind})</h4><div class="cards">${order.map(card)}</div>`;
}

/** Each attack's most exposed records. */
export function topRecordsSection(run: RunResult, top = 8): Html | '' {
  const attacks = run.attacks.filter((a) => a.exposure);
  if (!attacks.length) return '';
  const prior = attacks[0]!.exposure!.prior;
  return html`<h3>The most exposed records</h3><p class="meta">Each attack's ${top} highest-scoring candidates. Risk: Song &amp; Mittal's privacy risk score, Pr(member | score) at prior ${prior}, from the score's distribution among members and non-members (leave-one-out histograms). A red frame: a member (the target trained on it). Under each: its rank in every attack.</p>${attacks.map((a) => attackTop(run, a, top))}`;
}
