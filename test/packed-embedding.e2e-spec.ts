import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { installPackedHost, type PackedHost } from './support/packed-host';
import { createTestDatabase, describeWithDialect, type TestDialect } from './support/databases';

/**
 * refundhub from its npm tarballs in a host app outside the workspace, written in TypeScript and
 * compiled against the installed type declarations: Express, the host's own MikroORM setup beside
 * refundhub's own connection, refundhub.yaml through ConfigModule, forRootAsync with ConfigService,
 * its own CredentialsProvider and clock. A refund requested through the injected RefundService
 * against the Leshua sandbox, heard by the app's listener, read back. The app is
 * test/support/packed-host/host-app.ts.
 */
type HostReport = {
  refundId: string;
  requestedStatus: string;
  readBack: { status: string; amount: number; refundedAmount: number };
  heard: string[];
  vaultAsked: number;
  unknownGateway: { name: string; message: string } | null;
  gateways: string[];
  hostOrmHoldsRefunds: boolean;
  loadedFrom: string[];
};

let host: PackedHost | undefined;

beforeAll(() => {
  host = installPackedHost();
}, 240_000);

afterAll(() => {
  if (host) rmSync(host.dir, { recursive: true, force: true });
});

it('packs only what a user can use: compiled code and types, no build info or source maps', () => {
  for (const [name, files] of Object.entries(host!.tarballFiles)) {
    expect({
      name,
      unusable: files.filter((file) => /\.map$|tsbuildinfo|\.spec\.|\.ts$(?<!\.d\.ts)/.test(file)),
    }).toEqual({
      name,
      unusable: [],
    });
    expect(files).toContain('dist/index.d.ts');
  }
  expect(Object.keys(host!.tarballFiles).sort()).toEqual([
    '@refundhub/baofoo',
    '@refundhub/chaoying',
    '@refundhub/core',
    '@refundhub/gateway-kit',
    '@refundhub/host',
    '@refundhub/leshua',
    '@refundhub/umf',
  ]);
});

it('ships compiled files that point at no source map', () => {
  const installed = join(host!.dir, 'node_modules', '@refundhub');
  const pointing = readdirSync(installed).flatMap((name) =>
    javascriptFiles(join(installed, name, 'dist')).filter((file) =>
      readFileSync(file, 'utf8').includes('sourceMappingURL'),
    ),
  );
  expect(pointing).toEqual([]);
});

function javascriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return javascriptFiles(path);
    return entry.name.endsWith('.js') ? [path] : [];
  });
}

const embeds = (dialect: TestDialect) =>
  describeWithDialect(dialect, 'refundhub installed from its tarballs into a host app', () => {
    it('requests, settles and reads back a refund; the host listener hears RefundSucceeded', async () => {
      const db = await createTestDatabase(dialect);
      try {
        const report = JSON.parse(host!.runApp(db.options)) as HostReport;
        expect(report.requestedStatus).toBe('PROCESSING');
        expect(report.readBack).toEqual({ status: 'SUCCEEDED', amount: 120, refundedAmount: 120 });
        expect(report.heard).toEqual([report.refundId]);
        // Once for the request, once for the sync ten (host clock) minutes later: past the 60 s cache.
        expect(report.vaultAsked).toBe(2);
        expect(report.unknownGateway).toEqual({ name: 'UnknownGatewayError', message: "Unknown gateway 'umf'" });
        expect(report.gateways).toEqual(['baofoo', 'chaoying', 'leshua']);
        // refundhub's own connection: the host's MikroORM setup never learns refundhub's entities.
        expect(report.hostOrmHoldsRefunds).toBe(false);
        expect(report.loadedFrom.length).toBeGreaterThan(0);
        expect(report.loadedFrom.every((file) => file.startsWith(host!.dir))).toBe(true);
      } finally {
        await db.drop();
      }
    });
  });

embeds('sqlite');
embeds('postgresql');
