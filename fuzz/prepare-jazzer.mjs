// Makes the Jazzer.js native fuzzer load on Linux x64 with a glibc older than 2.38.
//
// @jazzer.js/fuzzer ships one prebuilt addon per platform. The linux-x64 one is linked against
// glibc 2.38 for two symbols only, __isoc23_strtol and __isoc23_strtoul (the C23 spellings of
// strtol/strtoul, which also accept a "0b" prefix — libFuzzer parses its numeric flags with them).
// It also requires libstdc++'s GLIBCXX_3.4.32 (GCC 13) for one symbol that nothing calls. On an
// older system (Debian 12 has glibc 2.36 and GCC 12) dlopen fails with "version `GLIBC_2.38' not
// found".
//
// The addon loader looks in dist/prebuilds/ before prebuilds/, so when the shipped addon does not
// load, this writes a copy there in which those two imports are the plain strtol/strtoul
// (GLIBC_2.2.5) and the too-new version requirements name older versions instead. The shipped file
// is left untouched; `npm ci` starts from it again.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);

function tryLoad(file) {
  try {
    require(file);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** Rewrites the glibc 2.38 and libstdc++ 3.4.32 imports of an ELF64 little-endian shared object; returns the new bytes. */
export function patchGlibc238(input) {
  const b = Buffer.from(input);
  if (b.readUInt32BE(0) !== 0x7f454c46 || b[4] !== 2 || b[5] !== 1) throw new Error("not an ELF64 little-endian file");
  const shoff = Number(b.readBigUInt64LE(0x28));
  const shentsize = b.readUInt16LE(0x3a);
  const shnum = b.readUInt16LE(0x3c);
  const sections = [];
  for (let i = 0; i < shnum; i++) {
    const o = shoff + i * shentsize;
    sections.push({
      type: b.readUInt32LE(o + 4),
      offset: Number(b.readBigUInt64LE(o + 0x18)),
      size: Number(b.readBigUInt64LE(o + 0x20)),
      link: b.readUInt32LE(o + 0x28),
      entsize: Number(b.readBigUInt64LE(o + 0x38)),
    });
  }
  const dynsym = sections.find((s) => s.type === 11); // SHT_DYNSYM
  const verneed = sections.find((s) => s.type === 0x6ffffffe); // SHT_GNU_verneed
  if (!dynsym || !verneed) throw new Error("no .dynsym or .gnu.version_r");
  const dynstr = sections[dynsym.link];
  const str = (off) => {
    const start = dynstr.offset + off;
    return b.toString("latin1", start, b.indexOf(0, start));
  };

  // The version requirements: each too-new version becomes a second entry (same index) for an
  // older version of the same library. GLIBCXX_3.4.32 is only asked for by
  // std::ios_base_library_init(), a symbol GCC 13's <iostream> names to pin the library version and
  // that nothing calls (it has no relocation).
  const REMAP = { "GLIBC_2.38": "GLIBC_2.2.5", "GLIBCXX_3.4.32": "GLIBCXX_3.4.30" };
  const remapped = new Set();
  let vn = verneed.offset;
  for (;;) {
    const cnt = b.readUInt16LE(vn + 2);
    let aux = vn + b.readUInt32LE(vn + 8);
    const entries = [];
    for (let i = 0; i < cnt; i++) {
      entries.push({ at: aux, hash: b.readUInt32LE(aux), name: b.readUInt32LE(aux + 8) });
      aux += b.readUInt32LE(aux + 12);
    }
    for (const [from, to] of Object.entries(REMAP)) {
      const neu = entries.find((e) => str(e.name) === from);
      const old = entries.find((e) => str(e.name) === to);
      if (!neu) continue;
      if (!old) throw new Error(`${from} is required, ${to} is not`);
      b.writeUInt32LE(old.hash, neu.at);
      b.writeUInt32LE(old.name, neu.at + 8);
      remapped.add(from);
    }
    const next = b.readUInt32LE(vn + 12);
    if (next === 0) break;
    vn += next;
  }
  if (remapped.size === 0) throw new Error("no GLIBC_2.38 or GLIBCXX_3.4.32 requirement");

  // The imports: "__isoc23_strtol" + 9 is "strtol" in the same string table.
  const PREFIX = "__isoc23_";
  for (let o = dynsym.offset; o < dynsym.offset + dynsym.size; o += dynsym.entsize || 24) {
    const name = str(b.readUInt32LE(o));
    if (name === "__isoc23_strtol" || name === "__isoc23_strtoul") b.writeUInt32LE(b.readUInt32LE(o) + PREFIX.length, o);
    else if (name.startsWith(PREFIX)) throw new Error(`unexpected C23 import ${name}`);
  }
  return b;
}

/** Ensures the Jazzer.js addon loads here; returns a note when it had to patch, throws when it cannot. */
export function prepareJazzer() {
  const addonJs = require.resolve("@jazzer.js/fuzzer/dist/addon.js");
  const pkg = dirname(dirname(addonJs));
  const name = `fuzzer-${process.platform}-${process.arch}.node`;
  const shipped = join(pkg, "prebuilds", name);
  const local = join(pkg, "dist", "prebuilds", name);
  if (existsSync(local)) {
    const err = tryLoad(local);
    if (!err) return undefined;
    throw new Error(`the patched Jazzer.js addon ${local} does not load: ${err}`);
  }
  const err = tryLoad(shipped);
  if (!err) return undefined;
  if (process.platform !== "linux" || process.arch !== "x64" || !/GLIBC_2\.38|GLIBCXX_3\.4\.32/.test(err)) {
    throw new Error(`the Jazzer.js addon does not load: ${err}`);
  }
  mkdirSync(dirname(local), { recursive: true });
  writeFileSync(local, patchGlibc238(readFileSync(shipped)));
  const again = tryLoad(local);
  if (again) throw new Error(`the patched Jazzer.js addon does not load either: ${again}`);
  return `patched the Jazzer.js addon for this glibc: ${local}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    console.log(prepareJazzer() ?? "the Jazzer.js addon loads as shipped");
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  }
}
