// Keras model configs (the `config.json` of a .keras zip, the `model_config` attribute of a legacy
// .h5): walked recursively, so a Lambda nested in a Functional model or a wrapper is found. Lambda
// and function-deserialising layers run code; modules outside Keras are custom objects.
import { formatData } from "../format-data.js";
import type { FileResult } from "../result.js";

export function checkKerasConfig(res: FileResult, config: unknown, member?: string) {
  const d = formatData().keras;
  const unsafeClasses = new Set(d.unsafeClassNames.values);
  const unsafeNames = new Set(d.unsafeNames.values);
  const seen = new Set<string>();
  const add = (verdict: "unsafe" | "suspicious", code: string, message: string) => {
    const k = `${code}:${message}`;
    if (seen.has(k) || seen.size > 200) return;
    seen.add(k);
    res.findings.push({ verdict, code, message, ...(member ? { member } : {}) });
  };
  const inRoots = (mod: string, roots: string[]) => roots.some((r) => mod === r || mod.startsWith(r + "."));
  let layers = 0;
  const walk = (v: unknown, path: string, depth: number) => {
    if (depth > 200) return add("suspicious", "keras-config", `config nested deeper than 200 levels at ${path}`);
    if (Array.isArray(v)) return v.forEach((x, i) => walk(x, `${path}/${i}`, depth + 1));
    if (!v || typeof v !== "object") return;
    const o = v as Record<string, unknown>;
    const cls = typeof o["class_name"] === "string" ? o["class_name"] : undefined;
    if (cls) {
      layers++;
      const name =
        typeof (o["config"] as { name?: unknown } | undefined)?.name === "string" ? ` ${JSON.stringify((o["config"] as { name: string }).name)}` : "";
      if (unsafeClasses.has(cls)) add("unsafe", "lambda-layer", `${cls} layer${name} at ${path || "/"} runs code when the model is loaded`);
      const mod = typeof o["module"] === "string" ? o["module"] : undefined;
      if (mod !== undefined) {
        if (inRoots(mod, d.deniedModuleRoots.values) || inRoots(`${mod}.${cls}`, d.deniedModuleRoots.values))
          add("unsafe", "keras-gadget", `${path || "/"} deserialises ${mod}.${cls}, a known gadget`);
        else if (!inRoots(mod, d.allowedModuleRoots.values))
          add("suspicious", "keras-custom-object", `${path || "/"} deserialises ${mod}.${cls}, a custom object outside Keras`);
      }
      if (unsafeNames.has(cls)) add("unsafe", "keras-gadget", `${path || "/"} deserialises ${cls}`);
      const reg = o["registered_name"];
      if (typeof reg === "string" && unsafeNames.has(reg.split(">").pop()!)) add("unsafe", "keras-gadget", `${path || "/"} registered name ${reg}`);
    }
    for (const [k, x] of Object.entries(o)) {
      if (typeof x === "string" && (k === "function" || k === "fn") && unsafeNames.has(x.split(".").pop()!))
        add("unsafe", "keras-gadget", `${path}/${k} names ${x}`);
      walk(x, `${path}/${k}`, depth + 1);
    }
  };
  walk(config, "", 0);
  res.details["layers"] = layers;
}
