// Fixtures for packs from pinned sources: an organisation pack (with an `extends`), npm tarballs
// written here, and a local npm-like registry on 127.0.0.1 (package documents and tarballs, an
// optional token, and every request recorded).
import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";

export const PACK_SHA = "1111111111111111111111111111111111111111";
export const OTHER_SHA = "2222222222222222222222222222222222222222";

export const BASE_PACK = `apiVersion: aigate/v1
kind: PolicyPack
name: acme-ai-policy
version: 1.2.0
extends: [./shared/overrides.yaml]
rules:
  - id: acme-guardrail-required
    title: LLM systems use the Acme guardrail
    control: PROMPTINJECTIONIOHANDLING
    threats: [DIRECTPROMPTINJECTION]
    severity: error
    when: { facts: { isLLM: true } }
    check: { kind: files, require: ["**/acme_guardrail.*"] }
    message: "no Acme guardrail in the system's folder"
    remediation: Wrap model calls with acme_guardrail.protect().
    link: https://owaspai.org/go/promptinjectioniohandling/
`;

export const SHARED_PACK = `apiVersion: aigate/v1
kind: PolicyPack
name: acme-shared
version: 1.0.0
overrides:
  - { rule: tool-acts-as-service, severity: note }
`;

/** A pack that tries to reach outside its source with `extends`. */
export const ESCAPING_PACK = (target: string) => `apiVersion: aigate/v1
kind: PolicyPack
name: escaping
version: 1.0.0
extends: [${JSON.stringify(target)}]
`;

/** A gzip-compressed ustar archive of the files (paths as given, e.g. package/pack.yaml). */
export function tarball(files: Record<string, string | Buffer>, extra: { symlink?: [string, string] } = {}): Buffer {
  const blocks: Buffer[] = [];
  const header = (name: string, size: number, type: string, link = "") => {
    const h = Buffer.alloc(512);
    h.write(name, 0, 100, "utf8");
    h.write("0000644\0", 100);
    h.write("0000000\0", 108);
    h.write("0000000\0", 116);
    h.write(size.toString(8).padStart(11, "0") + "\0", 124);
    h.write("00000000000\0", 136);
    h.write("        ", 148);
    h.write(type, 156);
    h.write(link, 157, 100, "utf8");
    h.write("ustar\0", 257);
    h.write("00", 263);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(sum.toString(8).padStart(6, "0") + "\0 ", 148);
    return h;
  };
  for (const [name, content] of Object.entries(files)) {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content, "utf8");
    blocks.push(header(name, data.length, "0"), data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  if (extra.symlink) blocks.push(header(extra.symlink[0], 0, "2", extra.symlink[1]));
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

export const integrityOf = (data: Buffer) => `sha512-${createHash("sha512").update(data).digest("base64")}`;

export interface Published {
  name: string;
  version: string;
  tarball: Buffer;
  /** What the registry claims (default: the tarball's integrity). */
  integrity?: string;
}

/** A registry that serves package documents (GET /<name>) and tarballs (GET /<name>/-/<file>.tgz). */
export class FakeRegistry {
  readonly requests: { url: string; auth: string | null }[] = [];
  packages: Published[] = [];
  distTags: Record<string, Record<string, string>> = {};
  /** Served instead of the published tarball (a compromised mirror). */
  swapTarball: Buffer | null = null;
  /** When set, every request needs `Authorization: Bearer <token>`. */
  token: string | null = null;
  private server: Server;
  base = "";

  constructor() {
    this.server = createServer((req, res) => {
      const url = decodeURIComponent(req.url ?? "/");
      this.requests.push({ url, auth: req.headers.authorization ?? null });
      if (this.token && req.headers.authorization !== `Bearer ${this.token}`) {
        res.writeHead(404, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: "Not found" }));
        return;
      }
      const tgz = /^\/(.+)\/-\/[^/]+-(\d[^/]*)\.tgz$/.exec(url);
      if (tgz) {
        const p = this.packages.find((x) => x.name === tgz[1] && x.version === tgz[2]);
        if (!p) return void res.writeHead(404).end();
        res.writeHead(200, { "content-type": "application/octet-stream" });
        res.end(this.swapTarball ?? p.tarball);
        return;
      }
      const name = url.slice(1);
      const versions = this.packages.filter((x) => x.name === name);
      if (!versions.length) {
        res.writeHead(404, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: "Not found" }));
        return;
      }
      const file = name.split("/").pop()!;
      const doc = {
        name,
        "dist-tags": this.distTags[name] ?? { latest: versions.at(-1)!.version },
        versions: Object.fromEntries(
          versions.map((v) => [
            v.version,
            {
              name,
              version: v.version,
              dist: {
                integrity: v.integrity ?? integrityOf(v.tarball),
                shasum: createHash("sha1").update(v.tarball).digest("hex"),
                tarball: `${this.base}/${name}/-/${file}-${v.version}.tgz`,
              },
            },
          ]),
        ),
      };
      res.writeHead(200, { "content-type": "application/vnd.npm.install-v1+json" });
      res.end(JSON.stringify(doc));
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.base;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
