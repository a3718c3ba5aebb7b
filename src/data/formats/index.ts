/** The data formats: pure loaders from bytes or paths to a Dataset, and what they share. */
export { DataError, readBytes } from './errors.js';
export type { Parsed } from './parsed.js';
export { parseCsv, readCsv, detectSeparator, type CsvOptions, type CsvParsed, type CsvStats } from './csv.js';
export { fitNormalizer, applyNormalizer, type Normalizer, type NormalizeMethod } from './normalize.js';
export { parseIdx, parseIdxPair, readIdx, type IdxArray, type IdxOptions } from './idx.js';
export { parseCifar, readCifar, cifarLayout, type CifarOptions } from './cifar.js';
export { parseNpyDataset, readNpyDataset, type NpyDatasetOptions } from './npy.js';
export { syntheticPurchase, type SyntheticPurchaseOptions } from './synthetic-purchase.js';
export { cachedParse, cacheKey, privateTempCacheDir, readCachedParse, type CachedParseRequest } from './cached.js';
export { NpzError, readNpz } from './npz.js';
