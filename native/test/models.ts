// Paths of the generated test models (see scripts/test-models); vitest's global setup creates them.
export { testModelPath, TEST_MODELS_DIR } from '../../scripts/test-models/index.ts';
