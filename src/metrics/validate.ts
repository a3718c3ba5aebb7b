/**
 * Checks shared by every metric. The inputs of a metric come from mia's own attacks, so a malformed
 * input (lengths that differ, a NaN score, a membership label other than 0 or 1) is a bug in the
 * caller and is thrown as a RangeError that names the offending index.
 *
 * A sample with no members or no non-members is not malformed but has no ROC; callers that can meet
 * one (per-class metrics, user-chosen subsets) ask `classCounts` first.
 */

/** How many records are members (label 1) and non-members (label 0). */
export interface ClassCounts {
  readonly members: number;
  readonly nonMembers: number;
}

/**
 * Validates scores and membership labels and counts both classes.
 * @throws RangeError if the lengths differ, a score is NaN, or a label is not exactly 0 or 1.
 */
export function classCounts(scores: ArrayLike<number>, members: ArrayLike<number>): ClassCounts {
  if (scores.length !== members.length) {
    throw new RangeError(`Metric inputs disagree: ${scores.length} scores but ${members.length} membership labels.`);
  }
  let positives = 0;
  for (let i = 0; i < scores.length; i++) {
    if (Number.isNaN(scores[i])) {
      throw new RangeError(`Score at index ${i} is NaN; an attack must give every record a number.`);
    }
    const m = members[i];
    if (m === 1) positives++;
    else if (m !== 0) {
      throw new RangeError(`Membership label at index ${i} is ${String(m)}; it must be 1 or 0.`);
    }
  }
  return { members: positives, nonMembers: scores.length - positives };
}

/**
 * Why a sample has no ROC, as a full sentence, or null when it has both members and non-members.
 * `what` names the sample in the sentence, e.g. `Class 3`.
 */
export function missingClassReason(counts: ClassCounts, what = 'The sample'): string | null {
  if (counts.members === 0 && counts.nonMembers === 0) return `${what} has no records, so it has no ROC.`;
  if (counts.members === 0) return `${what} has no members, so its true-positive rate is undefined.`;
  if (counts.nonMembers === 0) return `${what} has no non-members, so its false-positive rate is undefined.`;
  return null;
}

/**
 * Validates inputs and requires both classes.
 * @throws RangeError as `classCounts`, or if either class is absent.
 */
export function requireBothClasses(scores: ArrayLike<number>, members: ArrayLike<number>): ClassCounts {
  const counts = classCounts(scores, members);
  const reason = missingClassReason(counts);
  if (reason !== null) throw new RangeError(reason);
  return counts;
}

/** @throws RangeError unless `x` is a number in [0, 1]. */
export function requireUnitInterval(x: number, name: string): void {
  if (!(x >= 0 && x <= 1)) throw new RangeError(`${name} must be a number in [0, 1], got ${String(x)}.`);
}
