/** A CSV's membership column: read as who is a member, never as a feature; bad values refused at their line. */
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../src/data/formats/csv.js';
import { csvMembership } from '../../../src/data/formats/csv-membership.js';

const FILE = 'records.csv';
const TEXT = ['a,in_train,b,y', '1,Member,2,0', '3,0,NA,1', '5,TRUE,6,1', '7,nonmember,8,0', '9,false,10,1', ''].join(
  '\n',
);
const opts = { label: 'y', membership: 'in_train' };

describe('csv membership column', () => {
  it('is no feature: the records are those of the file without the column, whatever it says', () => {
    const withIt = parseCsv(TEXT, FILE, opts);
    const without = parseCsv(TEXT.replace(/,(Member|0|TRUE|nonmember|false|in_train),/g, ','), FILE, { label: 'y' });
    expect(withIt.featureNames).toEqual(['a', 'b']);
    expect(withIt.dataset.x).toEqual(without.dataset.x);
    const flipped = parseCsv(TEXT.replace('Member', '0').replace(',0,NA', ',1,NA'), FILE, opts);
    expect(flipped.dataset.x).toEqual(withIt.dataset.x);
  });

  it('reads 1/0, true/false and member/nonmember in any case, aligned with the rows kept', () => {
    // Line 3 has a missing feature and is dropped, as parseCsv drops it.
    expect(Array.from(csvMembership(TEXT, FILE, opts))).toEqual([1, 1, 0, 0]);
  });

  it('refuses another value, an empty cell, one value only, the label, naming file, line and column', () => {
    expect(() => csvMembership(TEXT.replace('TRUE', 'yes'), FILE, opts)).toThrow(
      'records.csv:4: The membership column "in_train" holds "yes" in this row; write 1 or 0, true or false, member or nonmember (any case).',
    );
    expect(() => csvMembership(TEXT.replace('9,false', '9,'), FILE, opts)).toThrow(
      'records.csv:6: The membership column "in_train" is empty in this row;',
    );
    const allIn = TEXT.replace(/,(0|nonmember|false),/g, ',1,');
    expect(() => csvMembership(allIn, FILE, opts)).toThrow(
      'records.csv: Every record (lines 2 to 6) is a member in the membership column "in_train"; an attack needs members and non-members both.',
    );
    expect(() => parseCsv(TEXT, FILE, { label: 'y', membership: 'y' })).toThrow(
      'records.csv: The column "y" cannot be both the label and the membership.',
    );
    expect(() => parseCsv(TEXT, FILE, { label: 'y', membership: 'member' })).toThrow(
      'records.csv: The column "member" in membership is not in the header.',
    );
  });
});
