import { defineCanarySetting } from './setting.js';

/** Each canary gets a seeded random wrong label, trained and queried with it. */
export const mislabel = defineCanarySetting({
  key: 'mislabel',
  setting: {
    type: 'boolean',
    default: false,
    doc: 'Gives each canary a seeded random wrong label, trained and queried with it.',
  },
});
