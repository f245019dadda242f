import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Agent } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDownloadChild } from './childProcess';
import { allFiles, createHarness, sha256File, type Harness } from './testHarness';

const FOLDER = 'edgewise/test-models-GGUF';

/** A self-signed certificate for 127.0.0.1, made with openssl when it is installed. */
async function makeCertificate(): Promise<{
  dir: string;
  key: Buffer;
  cert: Buffer;
  certFile: string;
} | null> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'edgewise-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
      ],
      { stdio: 'pipe' },
    );
  } catch (error) {
    process.stderr.write(`tls.test: skipped, openssl could not make a certificate: ${String(error)}\n`);
    await rm(dir, { recursive: true, force: true });
    return null;
  }
  const certFile = path.join(dir, 'cert.pem');
  return { dir, key: await readFile(path.join(dir, 'key.pem')), cert: await readFile(certFile), certFile };
}

const certificate = await makeCertificate();
let harness: Harness | null = null;

afterEach(async () => {
  await harness?.close();
  harness = null;
});

afterAll(async () => {
  if (certificate) await rm(certificate.dir, { recursive: true, force: true });
});

describe.skipIf(!certificate)(
  'https: verification on, downgrades refused, proxy and extra CAs honoured',
  () => {
    const tls = () => ({ key: certificate!.key, cert: certificate!.cert });

    it('refuses a server whose certificate is not trusted (verification is never off)', async () => {
      harness = await createHarness({ fake: { tls: tls() }, dispatcher: new Agent() });
      const h = harness;
      expect(h.fake.url).toMatch(/^https:/);
      h.manager.start({ downloadId: 'd1', source: h.source('tiny.Q4_0.gguf') });
      const event = await h.terminal('d1');
      expect(event.type === 'error' && event.error).toMatchObject({
        code: 'NETWORK',
        message: expect.stringMatching(/certificate .* could not be verified .*NODE_EXTRA_CA_CERTS/),
      });
      expect(await allFiles(h.target)).toEqual([]);
    });

    it('downloads over https when the certificate authority is trusted', async () => {
      harness = await createHarness({
        fake: { tls: tls() },
        dispatcher: new Agent({ connect: { ca: certificate!.cert } }),
      });
      const h = harness;
      h.manager.start({ downloadId: 'd1', source: h.source('tiny.Q4_0.gguf') });
      expect((await h.terminal('d1')).type).toBe('done');
      expect(await sha256File(path.join(h.target, FOLDER, 'tiny.Q4_0.gguf'))).toBe(
        await h.fake.sha256('tiny.Q4_0.gguf'),
      );
    });

    it('refuses a redirect from https down to plain http, without contacting the http server', async () => {
      harness = await createHarness({
        fake: { tls: tls() },
        faults: { redirect: 'http-downgrade' },
        dispatcher: new Agent({ connect: { ca: certificate!.cert } }),
      });
      const h = harness;
      h.manager.start({ downloadId: 'd1', source: h.source('tiny.Q4_0.gguf') });
      const event = await h.terminal('d1');
      expect(event.type === 'error' && event.error).toMatchObject({
        code: 'HOST_NOT_ALLOWED',
        message: expect.stringMatching(/downgrade https to plain http/),
      });
      expect(h.fake.requests.filter((r) => r.server === 'plain')).toEqual([]);
      expect(await allFiles(h.target)).toEqual([]);
    });

    describe('in a process of its own, with the default dispatcher', () => {
      let proxy: http.Server;
      const tunnels: string[] = [];

      beforeAll(async () => {
        // A CONNECT proxy, as corporate networks run: it records each tunnel and splices the sockets.
        proxy = http.createServer((_req, res) => res.writeHead(405).end());
        proxy.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
          tunnels.push(req.url ?? '');
          const [host = '', port = '443'] = (req.url ?? '').split(':');
          const upstream = net.connect(Number(port), host, () => {
            client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
            upstream.write(head);
            upstream.pipe(client);
            client.pipe(upstream);
          });
          upstream.on('error', () => client.destroy());
          client.on('error', () => upstream.destroy());
        });
        await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
      });

      afterAll(async () => {
        proxy.closeAllConnections();
        await new Promise((resolve) => proxy.close(resolve));
      });

      it('goes through HTTPS_PROXY and trusts NODE_EXTRA_CA_CERTS', async () => {
        harness = await createHarness({ fake: { tls: tls() } });
        const h = harness;
        const env: NodeJS.ProcessEnv = { ...process.env };
        for (const name of ['http_proxy', 'https_proxy', 'no_proxy', 'HTTP_PROXY', 'NO_PROXY'])
          delete env[name];
        Object.assign(env, {
          HF_ENDPOINT: h.fake.url,
          HTTPS_PROXY: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
          NODE_EXTRA_CA_CERTS: certificate!.certFile,
        });
        const child = await startDownloadChild(
          {
            stateFile: h.stateFile,
            target: h.target,
            start: { downloadId: 'd1', source: h.source('tiny.Q4_0.gguf') },
            exitWhenDone: true,
          },
          env,
        );
        const event = await child.until((e) => e.type !== 'progress');
        expect(event.type, `${JSON.stringify(event)} ${child.stderr()}`).toBe('done');
        await child.exited;
        expect(tunnels).toContain(`127.0.0.1:${h.fake.port}`);
        expect(await sha256File(path.join(h.target, FOLDER, 'tiny.Q4_0.gguf'))).toBe(
          await h.fake.sha256('tiny.Q4_0.gguf'),
        );
      });
    });
  },
);
