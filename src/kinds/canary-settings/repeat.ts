import { defineCanarySetting } from './setting.js';

/** An included canary is put that many times in the target's training set. */
export const repeat = defineCanarySetting({
  key: 'repeat',
  setting: {
    type: 'number',
    integer: true,
    bound: 'atLeast1',
    default: 1,
    hint: 'Use repeat: 1 or more.',
    doc: "How many times an included canary is put in the target's training set.",
  },
});
