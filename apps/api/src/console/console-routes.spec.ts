import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Fastify, { type FastifyInstance } from 'fastify';

import { CONSOLE_BUILD_COMMAND, CONSOLE_CSP, findConsoleDist, registerConsoleRoutes } from './console-routes';

describe(registerConsoleRoutes.name, () => {
  let sut: FastifyInstance;
  let folder: string;

  beforeEach(() => {
    sut = Fastify();
    folder = mkdtempSync(join(tmpdir(), 'refundhub-console-routes-'));
  });
  afterEach(async () => {
    await sut.close();
    rmSync(folder, { recursive: true, force: true });
  });

  /** A build as Vite leaves it: index.html and hashed assets. */
  function fakeBuild(): string {
    mkdirSync(join(folder, 'assets'));
    writeFileSync(
      join(folder, 'index.html'),
      '<!doctype html><script type="module" src="/console/assets/a-1.js"></script>',
    );
    writeFileSync(join(folder, 'assets', 'a-1.js'), 'console.log(1)');
    return folder;
  }

  it('answers 503 with the build command, never a 500, when the console is not built', async () => {
    registerConsoleRoutes(sut, { dist: null });

    for (const url of ['/console', '/console/', '/console/refunds/rf_1', '/console/assets/a-1.js']) {
      const answer = await sut.inject({ url });
      expect([url, answer.statusCode]).toEqual([url, 503]);
      expect(answer.body).toContain(CONSOLE_BUILD_COMMAND);
      expect(answer.headers['content-security-policy']).toBe(CONSOLE_CSP);
    }
  });

  it('answers index.html, never stored, for every client route, and the assets for a year', async () => {
    registerConsoleRoutes(sut, { dist: fakeBuild() });

    for (const url of ['/console', '/console/', '/console/refunds/rf_1?status=FAILED']) {
      const answer = await sut.inject({ url });
      expect(answer.statusCode).toBe(200);
      expect(answer.headers['cache-control']).toBe('no-store');
      expect(answer.headers['content-type']).toContain('text/html');
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['referrer-policy']).toBe('no-referrer');
      expect(answer.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    }
    const asset = await sut.inject({ url: '/console/assets/a-1.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await sut.inject({ url: '/console/assets/../../etc/passwd' })).body).not.toContain('root:');
  });

  it('offers the demo key only when told to, and never stores it', async () => {
    registerConsoleRoutes(sut, { dist: fakeBuild(), demoApiKey: 'rh_demo_key' });
    const demo = await sut.inject({ url: '/console/demo.json' });
    expect(demo.statusCode).toBe(200);
    expect(demo.json()).toEqual({ apiKey: 'rh_demo_key' });
    expect(demo.headers['cache-control']).toBe('no-store');

    const other = Fastify();
    registerConsoleRoutes(other, { dist: folder });
    expect((await other.inject({ url: '/console/demo.json' })).statusCode).toBe(404);
    await other.close();
  });
});

describe(findConsoleDist.name, () => {
  it('finds apps/console/dist above the given folder only when its index.html is there', () => {
    const root = mkdtempSync(join(tmpdir(), 'refundhub-console-root-'));
    try {
      mkdirSync(join(root, 'apps', 'console', 'dist'), { recursive: true });
      mkdirSync(join(root, 'apps', 'api', 'dist'), { recursive: true });
      writeFileSync(join(root, 'apps', 'console', 'package.json'), '{}');
      expect(findConsoleDist(join(root, 'apps', 'api', 'dist'))).toBeNull();
      writeFileSync(join(root, 'apps', 'console', 'dist', 'index.html'), '');
      expect(findConsoleDist(join(root, 'apps', 'api', 'dist'))).toBe(join(root, 'apps', 'console', 'dist'));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
