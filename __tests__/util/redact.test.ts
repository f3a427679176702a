import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { jsonSyntaxProblem, parseJsonQuietly } from "../../src/util/json-error.js";
import { maskSecret, maskTokens, publicPrefix, redactText, redactUrl } from "../../src/util/redact.js";
import { TOKEN_FORMATS, type TokenFormat } from "../../src/util/secret-prefixes.js";
import { packageRoot } from "../../src/util/package-root.js";

// Fake secrets are built here at run time from a fixed filler, so no secret scanner flags the
// repository and no real token is ever written down.
const FILLER = "FaKe0TeSt1NoT2rEaL3vAlUe4XyZ5qWeRtY6uIoP7aSdFgH8jKl9ZxCvBnM";
function filler(chars: string, n: number, seed = 0): string {
  const set = chars.split("");
  let out = "";
  for (let i = 0; out.length < n; i++) {
    const c = FILLER[(i + seed) % FILLER.length]!;
    out += set.includes(c) ? c : set[(i * 7 + seed) % set.length]!;
  }
  return out;
}
function charset(body: string): string {
  // Expand a regex class body such as "A-Za-z0-9_\\-" into its characters.
  let out = "";
  const s = body.replace(/\\(.)/g, "$1");
  for (let i = 0; i < s.length; i++) {
    if (s[i + 1] === "-" && i + 2 < s.length) {
      for (let c = s.charCodeAt(i); c <= s.charCodeAt(i + 2); c++) out += String.fromCharCode(c);
      i += 2;
    } else out += s[i];
  }
  return out;
}
const fake = (f: TokenFormat, extra = 8) => f.prefix + filler(charset(f.body), f.max ?? f.min + extra, f.prefix.length);

describe("maskSecret", () => {
  it.each(TOKEN_FORMATS.map((f) => [f.prefix, f] as const))("shows only the public prefix %s and the length", (_p, f) => {
    const secret = fake(f);
    const masked = maskSecret(secret);
    expect(masked).toBe(`${f.prefix}…(${secret.length} chars)`);
    expect(masked).not.toContain(secret.slice(f.prefix.length, f.prefix.length + 4));
  });

  it("shows no character of a secret without a known prefix", () => {
    expect(maskSecret("hunter22")).toBe("…(8 chars)");
    expect(maskSecret(filler("abcdef0123456789", 32))).toBe("…(32 chars)");
  });

  it("never shows a prefix longer than what stays hidden", () => {
    expect(maskSecret("sk-abcd")).toBe("…(7 chars)");
    expect(maskSecret("github_pat_" + "x".repeat(10))).toBe("…(21 chars)");
    expect(publicPrefix("hf_" + "a".repeat(8))).toBe("hf_");
  });

  it("names a PEM private key by its header", () => {
    const pem = `-----BEGIN OPENSSH PRIVATE KEY-----\n${filler("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef0123456789+/", 140)}\n-----END OPENSSH PRIVATE KEY-----`;
    expect(maskSecret(pem)).toBe(`-----BEGIN OPENSSH PRIVATE KEY-----…(${pem.length} chars)`);
  });
});

describe("redactText", () => {
  const jwt = `eyJ${filler("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 24)}.eyJ${filler("abcdefghijklmnopqrstuvwxyz", 30)}.${filler("ABCDEFGHIJabcdefghij0123456789_-", 43)}`;
  const pem = `-----BEGIN RSA PRIVATE KEY-----\nMIIE${filler("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/", 64)}\n-----END RSA PRIVATE KEY-----`;
  const secrets = [...TOKEN_FORMATS.map((f) => fake(f)), jwt, pem];

  it.each(secrets.map((s) => [s.slice(0, 12), s]))("masks %s… wherever it appears in text", (_label, secret) => {
    for (const text of [secret, `key ${secret} committed`, `OPENAI_API_KEY=${secret}`, `"token": "${secret}"`, `(${secret}).`]) {
      const out = redactText(text);
      expect(out).not.toContain(secret);
      expect(out).not.toContain(secret.slice(publicPrefix(secret).length, publicPrefix(secret).length + 6));
      expect(redactText(out)).toBe(out);
    }
  });

  it("masks values given to secret-named keys, and only those", () => {
    expect(redactText("password=hunter22")).toBe("password=…(8 chars)");
    expect(redactText(`HF_TOKEN="${filler("abcdefgh", 10)}"`)).toBe('HF_TOKEN="…(10 chars)"');
    expect(redactText(`{"client_secret": "${filler("abcdefgh", 12)}"}`)).toBe('{"client_secret": "…(12 chars)"}');
    for (const kept of [
      "token: expected a string",
      "tokenizer: gpt2",
      "max_tokens=1000",
      "auth: required",
      "apiKey=${API_KEY}",
      "HF_TOKEN=$HF_TOKEN",
      "password=***",
    ]) {
      expect(redactText(kept)).toBe(kept);
    }
  });

  it("redacts URLs inside sentences and keeps the punctuation after them", () => {
    const out = redactText(
      `fetched from https://user:${filler("abc", 6)}@host.example/x?token=${filler("abc", 20)}. Then (see s3://bucket/key?versionId=v1), done`,
    );
    expect(out).toBe("fetched from https://***@host.example/x?token=***. Then (see s3://bucket/key?versionId=***), done");
  });

  it("leaves text without secrets unchanged, and is idempotent", () => {
    for (const s of [
      "",
      "model ops-llm is downloaded from hf://org/model without a pinned revision",
      'ai-system.yaml:6:3: error unknown key "usesRag" in profile',
      "git+ssh://git@github.com/org/repo.git#v1.2.3",
      "task-abcdefghijklmnopqrstuvwxyz0123456789 is a slug",
    ]) {
      expect(redactText(s)).toBe(s);
    }
  });

  it("changes no expected finding of the examples", () => {
    const root = join(packageRoot(), "examples");
    for (const ex of readdirSync(root)) {
      const f = join(root, ex, "expected-findings.txt");
      if (!existsSync(f)) continue;
      for (const line of readFileSync(f, "utf8").split("\n")) expect(redactText(line)).toBe(line);
    }
  });

  it("runs in linear time on hostile text", () => {
    for (const s of [
      "a".repeat(1e6),
      "sk-".repeat(3e5),
      "https://" + "a@".repeat(3e5),
      "token=".repeat(2e5),
      "x".repeat(1e6) + "=" + "y".repeat(1e5),
      "-----BEGIN PRIVATE KEY-----" + "-".repeat(2e5),
    ]) {
      expect(redactText(redactText(s))).toBe(redactText(s));
    }
  });
});

describe("redactUrl", () => {
  const pw = `p@ss${filler("abcdef", 6)}`;
  const sig = filler("abcdef0123456789", 64);
  it.each([
    [`https://user:${pw}@host.example.com/simple`, "https://***@host.example.com/simple"],
    [`https://${filler("abc", 8)}@github.com/org/repo.git`, "https://***@github.com/org/repo.git"],
    [
      `https://bucket.s3.amazonaws.com/m.bin?X-Amz-Credential=AKIA${filler("ABCDEFGHIJKLMNOP0123456789", 16)}%2F2024&X-Amz-Signature=${sig}`,
      "https://bucket.s3.amazonaws.com/m.bin?X-Amz-Credential=***&X-Amz-Signature=***",
    ],
    [`https://acct.blob.core.windows.net/c/f.bin?sv=2022-11-02&sig=${sig}%3D`, "https://acct.blob.core.windows.net/c/f.bin?sv=***&sig=***"],
    [`https://storage.googleapis.com/b/o?X-Goog-Signature=${sig}&download`, "https://storage.googleapis.com/b/o?X-Goog-Signature=***&download"],
    [`hf://datasets/org/name?token=${sig}`, "hf://datasets/org/name?token=***"],
    [`s3://AKIA${filler("ABCDEFGHIJKLMNOP0123456789", 16)}:${sig}@bucket/key`, "s3://***@bucket/key"],
    [`gs://bucket/obj#access_token=${sig}`, "gs://bucket/obj#access_token=***"],
    [`git+https://oauth2:${pw}@gitlab.com/org/repo.git@main#egg=pkg&sha256=${sig}`, `git+https://***@gitlab.com/org/repo.git@main#egg=pkg&sha256=${sig}`],
    ["git+ssh://git@github.com/org/repo.git#v1.2.3", "git+ssh://git@github.com/org/repo.git#v1.2.3"],
    [`https://hooks.slack.com/services/T0/B0/${filler("abcdef", 24)}`, "https://hooks.slack.com/services/***"],
    [`https://host.example/x#${sig}${sig}`, "https://host.example/x#***"],
    [`https://host.example/${"ghp_" + filler("abcdef0123", 36)}/x`, "https://host.example/ghp_…(40 chars)/x"],
    [
      "https://huggingface.co/org/model/resolve/main/model.safetensors?download=true",
      "https://huggingface.co/org/model/resolve/main/model.safetensors?download=true",
    ],
  ])("%s", (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
    expect(redactUrl(expected)).toBe(expected);
  });

  it("masks token shapes in text that is not a URL", () => {
    const t = "ghp_" + filler("abcdef0123", 36);
    expect(redactUrl(`github:org/repo#${t}`)).toBe("github:org/repo#ghp_…(40 chars)");
    expect(maskTokens("plain words")).toBe("plain words");
  });
});

describe("jsonSyntaxProblem", () => {
  const secret = "sk-" + filler("abcdefABCDEF0123", 40);
  it.each([
    [`{"api_key": ${secret}}`, 1, 13, "an unexpected character"],
    [`{\n  "token": "${secret}" x\n}`, 2, 15 + secret.length, "an unexpected character"],
    [`{\n  "token": "${secret}" "b": 1\n}`, 2, 15 + secret.length, "a comma is expected"],
    [`{"a": "${secret}`, 1, 7, "a string is not closed"],
    ["", 1, 1, "the file is empty"],
  ])("says where the error is without quoting the file (%#)", (text, line, column, reason) => {
    let error: unknown;
    try {
      JSON.parse(text);
    } catch (e) {
      error = e;
    }
    const p = jsonSyntaxProblem(text, error);
    expect(p).toMatchObject({ line, column, reason });
    expect(p.message).toBe(`not valid JSON at line ${line}, column ${column}: ${reason}`);
    expect(p.message).not.toContain(secret.slice(3, 10));
    expect(() => parseJsonQuietly(text)).toThrow(p.message);
  });

  it("parses valid JSON", () => {
    expect(parseJsonQuietly('{"a": [1, 2]}')).toEqual({ a: [1, 2] });
  });
});
