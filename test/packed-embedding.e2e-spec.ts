import { rmSync } from 'node:fs';

import { installPackedHost, type PackedHost } from './support/packed-host';
import { createTestDatabase, describeWithDialect, type TestDialect } from './support/databases';

/**
 * refundhub from its npm tarballs in a host app outside the workspace (Express, its own MikroORM
 * connection, forRootAsync with ConfigService, its own CredentialsProvider): a refund requested
 * through the injected RefundService against the Leshua sandbox, heard by the app's listener,
 * read back. The app is test/support/packed-host/host-app.js.
 */
type HostReport = {
  refundId: string;
  requestedStatus: string;
  readBack: { status: string; amount: number; refundedAmount: number };
  heard: string[];
  vaultAsked: number;
  unknownGateway: { name: string; message: string } | null;
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
});

const embeds = (dialect: TestDialect) =>
  describeWithDialect(dialect, 'refundhub installed from its tarballs into a host app', () => {
    it('requests, settles and reads back a refund; the host listener hears RefundSucceeded', async () => {
      const db = await createTestDatabase(dialect);
      try {
        const report = JSON.parse(host!.runApp(db.options)) as HostReport;
        expect(report.requestedStatus).toBe('PROCESSING');
        expect(report.readBack).toEqual({ status: 'SUCCEEDED', amount: 120, refundedAmount: 120 });
        expect(report.heard).toEqual([report.refundId]);
        expect(report.vaultAsked).toBe(1);
        expect(report.unknownGateway).toEqual({ name: 'UnknownGatewayError', message: "Unknown gateway 'umf'" });
        expect(report.loadedFrom.length).toBeGreaterThan(0);
        expect(report.loadedFrom.every((file) => file.startsWith(host!.dir))).toBe(true);
      } finally {
        await db.drop();
      }
    });
  });

embeds('sqlite');
embeds('postgresql');
