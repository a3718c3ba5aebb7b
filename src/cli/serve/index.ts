/** `mia serve`: a model as a prediction API with its output defenses (TensorFlow Serving's REST rows). */
export { serveCommand, type ServeOptions } from './serve.js';
export { MODEL_SOURCES, type ModelSource, type ServedModel } from './model-source.js';
export { startServer, type AccessEntry, type ServerOptions } from './server.js';
export { servedRelease } from './defenses.js';
