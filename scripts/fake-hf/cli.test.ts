import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TEST_MODELS_DIR } from '../test-models/index.ts';

const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));

describe('fake-hf CLI', () => {
  it('prints one line with its URL, serves the test models and takes faults over HTTP', async () => {
    const child = spawn(process.execPath, [cli, '--port', '0', '--models-dir', TEST_MODELS_DIR], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
      const match = /^Fake Hugging Face serving (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
      expect(match, line).not.toBeNull();
      const url = match?.[1] ?? '';

      const repos = (await (await fetch(`${url}/api/models?search=test-models&filter=gguf`)).json()) as {
        id: string;
      }[];
      expect(repos.map((r) => r.id)).toContain('edgewise/test-models-GGUF');

      const head = await fetch(`${url}/edgewise/test-models-GGUF/resolve/main/tiny.Q4_0.gguf`, {
        method: 'HEAD',
        redirect: 'manual',
      });
      expect(head.status).toBe(302);
      expect(head.headers.get('x-linked-size')).toBe('74496');
      expect(head.headers.get('x-linked-etag')).toMatch(/^"[0-9a-f]{64}"$/);

      const set = await fetch(`${url}/_control/faults`, {
        method: 'POST',
        body: JSON.stringify({ serverErrors: 1 }),
      });
      expect(await set.json()).toEqual({ serverErrors: 1 });
      expect(
        (await fetch(`${url}/edgewise/test-models-GGUF/resolve/main/tiny.Q4_0.gguf`, { redirect: 'manual' }))
          .status,
      ).toBe(503);
      const log = (await (await fetch(`${url}/_control/requests`)).json()) as { status: number }[];
      expect(log.map((r) => r.status)).toEqual([200, 302, 503]);
      await fetch(`${url}/_control/reset`, { method: 'POST' });
      expect(await (await fetch(`${url}/_control/requests`)).json()).toEqual([]);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
});
