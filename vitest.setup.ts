// Renderer tests opt into jsdom per file with `// @vitest-environment jsdom`; this adds the DOM matchers' cleanup.
import { afterEach } from 'vitest';

afterEach(async () => {
  if ('document' in globalThis) {
    const { cleanup } = await import('@testing-library/react');
    cleanup();
  }
});
