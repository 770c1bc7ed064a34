import { plainConfig } from '../../vitest.shared.js';

export default plainConfig;
