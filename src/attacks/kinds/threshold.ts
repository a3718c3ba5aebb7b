/** Threshold attacks on one signal of the target's output (Yeom et al.; Song & Mittal's modified entropy). */
import { entropyOf, lossOf, modifiedEntropyOf, probabilities } from '../signals.js';
import { lossAt, mapRows, type ScoredVariant } from '../signals-input.js';
import { thresholdAttack } from '../threshold.js';
import { defineAttack } from '../kind.js';

export const threshold = defineAttack({
  kind: 'threshold',
  summary: 'Scores each record by one signal of the target, globally or per class calibrated on shadows.',
  version: 1,
  settings: {
    signal: {
      type: 'enum',
      options: ['loss', 'confidence', 'entropy', 'modified_entropy'],
      default: 'loss',
      doc: 'The signal scored: loss, confidence, entropy or modified entropy.',
    },
    calibration: {
      type: 'enum',
      options: ['global', 'per_class'],
      default: 'global',
      doc: 'One threshold for all, or one per class fitted on shadow models.',
    },
    shadows: { type: 'shadows', default: null, doc: 'Shadow models to calibrate per-class thresholds on.' },
  },
  needsProbabilities: true,
  check(s, c) {
    if (s.calibration === 'per_class' && s.shadows === null)
      c.error(
        'E142',
        `The threshold attack "${c.name}" is calibrated per class, which needs shadow models to calibrate on.`,
        'calibration',
        'Add shadows: NAME, or use calibration: global.',
      );
  },
  score: (ctx, s) => thresholdAttack(ctx, s.signal, s.calibration, s.shadows),
  fromSignals(env) {
    const { target, labels } = env.input;
    const out: ScoredVariant[] = [];
    const add = (name: string, f: (r: number) => number): number =>
      out.push({ name, kind: 'threshold', scores: mapRows(f, env.scored) });
    add('loss', (r) => -lossAt(target, r, labels));
    add('confidence', (r) => Math.exp(-lossAt(target, r, labels)));
    if (target.kind === 'logits') {
      const s = target.signals;
      add('entropy', (r) => -entropyOf(probabilities(s, r)));
      add('modified_entropy', (r) => -modifiedEntropyOf(probabilities(s, r), labels![r]!, -lossOf(s, r, labels![r]!)));
    } else env.note('entropy and modified_entropy need logits; the target gives losses only.');
    return out;
  },
});
