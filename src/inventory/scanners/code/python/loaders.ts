// Loading that runs code: deserialisers that unpickle (pickle and its kin, torch.load without
// weights_only=True, numpy.load(allow_pickle=True), Keras with safe_mode=False, stores loaded with
// allow_dangerous_deserialization=True) and models whose own Python code runs with them
// (trust_remote_code=True). A load of what the same scope has just written (round-trip.ts) is
// nobody else's file and not reported. Downloads from a hub are downloads.ts.
import { anyName, codePatterns } from "../patterns.js";
import { at } from "../places.js";
import type { PyFile } from "./context.js";
import type { PyCall } from "./names.js";
import { isFalse, isTrue } from "./syntax.js";

/** The loader findings of one call; `roundTrip`: it reads back what the code itself wrote just before. */
export function loadFindings(file: PyFile, c: PyCall, roundTrip: boolean): void {
  if (!roundTrip) unsafeLoad(file, c);
  const { hits } = file.out;
  if (isTrue(c.kwargs.get("allow_dangerous_deserialization"))) {
    hits.push({
      kind: "code.unsafe-load",
      ...at(c.node),
      message: `${c.name}(allow_dangerous_deserialization=True) unpickles the stored index: a crafted file runs code when loaded`,
      key: `${c.name}:allow_dangerous_deserialization`,
      data: { loader: c.name, how: "with allow_dangerous_deserialization=True unpickles the stored index" },
    });
  }
  const remote = c.kwargs.get("trust_remote_code");
  if (isTrue(remote)) {
    hits.push({
      kind: "code.trust-remote-code",
      ...at(remote!.parent!),
      message: `${c.name}(trust_remote_code=True) runs Python code downloaded with the model`,
      key: c.name,
      data: { call: c.name },
    });
  }
}

function unsafeLoad(file: PyFile, c: PyCall): void {
  const L = codePatterns().unsafeLoaders;
  const { hits } = file.out;
  const pos = at(c.node);
  if (anyName(L.always, c.name)) {
    hits.push({
      kind: "code.unsafe-load",
      ...pos,
      message: `${c.name}() deserialises with pickle: a crafted file runs code when loaded`,
      key: c.name,
      data: { loader: c.name, how: "deserialises with pickle" },
    });
  } else if (anyName(L.torchLoad, c.name)) {
    if (isTrue(c.kwargs.get("weights_only"))) {
      hits.push({ kind: "code.torch-load-weights-only", ...pos, message: `torch.load(weights_only=True)`, key: c.name, data: { loader: c.name } });
    } else {
      hits.push({
        kind: "code.unsafe-load",
        ...pos,
        message: `${c.name}() without weights_only=True unpickles arbitrary objects: a crafted checkpoint runs code when loaded`,
        key: c.name,
        data: { loader: c.name, weightsOnly: false, how: "runs without weights_only=True, so it unpickles arbitrary objects" },
      });
    }
  } else if (anyName(L.numpyLoad, c.name) && isTrue(c.kwargs.get("allow_pickle"))) {
    hits.push({
      kind: "code.unsafe-load",
      ...pos,
      message: `numpy.load(allow_pickle=True) unpickles object arrays: a crafted .npy/.npz runs code when loaded`,
      key: c.name,
      data: { loader: c.name, how: "with allow_pickle=True unpickles object arrays" },
    });
  } else if (anyName(L.kerasLoad, c.name) && isFalse(c.kwargs.get("safe_mode"))) {
    hits.push({
      kind: "code.unsafe-load",
      ...pos,
      message: `${c.name}(safe_mode=False) deserialises Lambda layers: a crafted model runs code when loaded`,
      key: c.name,
      data: { loader: c.name, how: "with safe_mode=False deserialises Lambda layers" },
    });
  }
}
