/**
 * What an imported model outputs, read from its topology: its output layer's activation (past layers
 * that are the identity at inference: dropout, flatten, reshape). softmax or sigmoid: probabilities,
 * and mia makes that activation linear so the model gives the logits its probabilities come from (a
 * Keras `Softmax` layer becomes a linear `Activation`); linear: logits, used as they are; anything
 * else cannot be told, and the spec says `output: logits | probabilities` (probabilities are then
 * turned into logits by a log layer appended to the model). Queries always see logits, which mia
 * softmaxes once. Plain data: the main thread reads it at plan time without TensorFlow.js.
 */

export type ModelOutput = 'logits' | 'probabilities';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);

/** Layers that pass their input through unchanged at inference (or only reshape it). */
const IDENTITY = new Set([
  'Dropout',
  'SpatialDropout1D',
  'SpatialDropout2D',
  'GaussianDropout',
  'GaussianNoise',
  'AlphaDropout',
  'Flatten',
  'Reshape',
]);

/** The model config (Sequential or functional) inside a topology: tfjs writes it bare, Keras under model_config. */
const modelConfig = (topology: unknown): Obj | undefined => {
  const t = obj(topology);
  return obj(obj(t?.model_config ?? t)?.config);
};

/** The layer producing the model's one output, or null when there is not exactly one. */
function outputLayer(config: Obj): Obj | null {
  const layers = (Array.isArray(config.layers) ? config.layers : []).map(obj);
  const byName = (n: unknown) => layers.find((l) => obj(l?.config)?.name === n || l?.name === n) ?? null;
  const outs = config.output_layers;
  let layer: Obj | null = Array.isArray(outs)
    ? outs.length === 1 && Array.isArray(outs[0])
      ? byName(outs[0][0])
      : null
    : (layers[layers.length - 1] ?? null);
  for (let guard = 0; layer && IDENTITY.has(String(layer.class_name)) && guard < layers.length; guard++) {
    const inbound = layer.inbound_nodes;
    const prev: unknown = Array.isArray(inbound) ? (inbound as unknown[][][])[0]?.[0]?.[0] : undefined;
    layer = Array.isArray(outs) ? byName(prev) : (layers[layers.indexOf(layer) - 1] ?? null);
  }
  return layer;
}

/** What the topology says the model outputs, and the activation it read ("softmax", "relu", a layer class). */
export function modelOutputOf(topology: unknown): { output: ModelOutput | null; activation: string } {
  const config = modelConfig(topology);
  const layer = config ? outputLayer(config) : null;
  if (!layer) return { output: null, activation: 'an output mia cannot find' };
  const cls = String(layer.class_name);
  if (cls === 'Softmax') return { output: 'probabilities', activation: 'softmax' };
  const activation = obj(layer.config)?.activation;
  if (typeof activation !== 'string')
    return cls === 'Dense'
      ? { output: 'logits', activation: 'linear' }
      : { output: null, activation: `a ${cls} layer` };
  if (activation === 'softmax' || activation === 'sigmoid') return { output: 'probabilities', activation };
  if (activation === 'linear') return { output: 'logits', activation };
  return { output: null, activation };
}

/**
 * The topology of a model whose outputs are logits: a final softmax or sigmoid made linear, or (outputs
 * declared probabilities, activation unknown) a log layer appended. A copy; the original is not changed.
 */
export function logitsTopology(topology: object, declared: ModelOutput | undefined): object {
  const copy = structuredClone(topology);
  const config = modelConfig(copy)!;
  const { output, activation } = modelOutputOf(copy);
  if ((output ?? declared) !== 'probabilities') return copy;
  if (output === 'probabilities') {
    const layer = outputLayer(config)!;
    const c = obj(layer.config)!;
    if (activation === 'softmax' && layer.class_name === 'Softmax') {
      layer.class_name = 'Activation';
      layer.config = { name: c.name, trainable: c.trainable ?? false, activation: 'linear' };
    } else c.activation = 'linear';
    return copy;
  }
  appendLogLayer(config);
  return copy;
}

const LOG_LAYER = 'mia_log_probabilities';
/** The class of the appended log layer (registered with TensorFlow.js in serialize.ts). */
export const LOG_PROBABILITIES_CLASS = 'MiaLogProbabilities';

function appendLogLayer(config: Obj): void {
  const layers = config.layers as Obj[];
  const layer: Obj = { class_name: LOG_PROBABILITIES_CLASS, config: { name: LOG_LAYER, trainable: false } };
  const outs = config.output_layers as unknown[][] | undefined;
  if (Array.isArray(outs)) {
    layer.name = LOG_LAYER;
    layer.inbound_nodes = [[[outs[0]![0], outs[0]![1] ?? 0, outs[0]![2] ?? 0, {}]]];
    config.output_layers = [[LOG_LAYER, 0, 0]];
  }
  layers.push(layer);
}
