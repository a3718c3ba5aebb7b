/**
 * fast-check explores new random cases on every local run; under CI (CI=true) it replays a fixed
 * seed so a submission's result does not depend on luck. FC_SEED=N replays any seed locally.
 */
import fc from 'fast-check';

const seed = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : process.env.CI ? 20261128 : undefined;
if (seed !== undefined && Number.isFinite(seed)) fc.configureGlobal({ seed });
