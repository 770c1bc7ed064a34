import { decoratorConfig } from '../../vitest.shared.js';

export default decoratorConfig;
