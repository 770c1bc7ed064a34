export { EXTRACTORS, type ExtractorEntry } from './extractor-registry.js';
export { fetchModel, type FetchModelOptions, type ModelSource } from './fetch-model.js';
export { resolveExtractor, type ResolvedExtractor, type ResolveExtractorOptions } from './resolve-extractor.js';
