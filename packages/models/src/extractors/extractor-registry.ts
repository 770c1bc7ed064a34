import type { ExtractorName } from '@ablate/contracts';

/** A pretrained TF.js model known by name, with what a trial needs to use it as an extractor. */
export interface ExtractorEntry {
  /** Public `model.json`; its weight shards sit beside it. */
  url: string;
  /** `tf.loadLayersModel` models can be fine-tuned; every entry here is one. */
  format: 'layers';
  /** Layer whose output are the features. */
  featureLayer: string;
  /** `avg`: global average pooling over the feature map (7×7×C → C), as Keras' `pooling='avg'`. */
  pooling: 'avg' | 'none';
  /** Pixel scaling the network was trained with. */
  inputRange: '-1-1' | '0-1' | 'caffe' | '0-255';
  /** sha256 (hex) of files by their path in the model folder, when known; else recorded on first download. */
  sha256: Record<string, string>;
  /** Where the URL comes from, for the docs and the error messages. */
  origin: string;
}

/**
 * Names a sweep may give as `extractor`. The contracts list the names (so a spec is checked before
 * it runs); this map holds the hosts, and fails to compile when the two disagree.
 *
 * No sha256 is pinned: this project's machines reach no host but npm, and no npm package ships these
 * files, so none could be hashed here. The first download records the hashes of every file
 * (`checksums.json` in the model's cache folder) and every later use verifies against them.
 */
export const EXTRACTORS: Record<ExtractorName, ExtractorEntry> = {
  mobilenet_v2: {
    url: 'https://storage.googleapis.com/teachable-machine-models/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.00_224_no_top/model.json',
    format: 'layers', featureLayer: 'out_relu', pooling: 'avg', inputRange: '-1-1', sha256: {},
    origin: 'Keras MobileNetV2 (alpha 1.0, ImageNet, no top) as converted for Teachable Machine (@teachablemachine/image)',
  },
  'mobilenet_v2_0.35': {
    url: 'https://storage.googleapis.com/teachable-machine-models/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_224_no_top/model.json',
    format: 'layers', featureLayer: 'out_relu', pooling: 'avg', inputRange: '-1-1', sha256: {},
    origin: 'Keras MobileNetV2 (alpha 0.35: about 5× fewer multiply-adds than 1.0) as converted for Teachable Machine',
  },
  'mobilenet_v1_0.25': {
    url: 'https://storage.googleapis.com/tfjs-models/tfjs/mobilenet_v1_0.25_224/model.json',
    format: 'layers', featureLayer: 'conv_pw_13_relu', pooling: 'avg', inputRange: '-1-1', sha256: {},
    origin: 'MobileNet v1 (alpha 0.25) of the TF.js examples (webcam transfer learning)',
  },
};
