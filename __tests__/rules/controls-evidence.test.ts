// A claimed control's evidence must show it (src/policy/checks/evidence-content.ts): a rate limiter's
// import or setting rather than a sentence in a README, and not one file cited for everything.
import { RuleTester } from "../../src/policy/rule-tester.js";
import { LLM_APP, manifest } from "./helpers.js";

const tester = new RuleTester();

tester.run("claimed-control-evidence-unspecific", {
  valid: [
    {
      name: "a limiter's import, a logging call, one file cited for two controls",
      files: {
        "ai-system.yaml": manifest(
          LLM_APP,
          "controls:",
          "  RATELIMIT: {status: implemented, evidence: [api/limits.py]}",
          "  MONITORUSE: {status: partial, evidence: [api/app.py]}",
          "  SECPROGRAM: {status: implemented, evidence: [SECURITY.md]}",
          "  CHECKCOMPLIANCE: {status: implemented, evidence: [SECURITY.md]}",
        ),
        "api/limits.py": "from slowapi import Limiter\nlimiter = Limiter(key_func=lambda r: r.client.host)\n",
        "api/app.py": "import logging\nlog = logging.getLogger(__name__)\ndef ask(q):\n    log.info('model call')\n",
        "SECURITY.md": "Report vulnerabilities to security@example.com.\n",
      },
    },
    {
      name: "a gateway setting in configuration",
      files: {
        "ai-system.yaml": manifest(LLM_APP, "controls:", "  RATELIMIT: {status: implemented, evidence: [deploy/nginx.conf]}"),
        "deploy/nginx.conf": "limit_req_zone $binary_remote_addr zone=api:10m rate=5r/s;\n",
      },
    },
  ],
  invalid: [
    {
      name: "a chat message's role is not access control",
      files: {
        "ai-system.yaml": manifest(LLM_APP, "controls:", "  MODELACCESSCONTROL: {status: implemented, evidence: [chat.py]}"),
        "chat.py":
          "from openai import OpenAI\nmessages = [{'role': 'user', 'content': 'hi'}]\nOpenAI().chat.completions.create(model='m', messages=messages)\n",
      },
      findings: [
        {
          path: "ai-system.yaml",
          line: 6,
          column: 56,
          endLine: 6,
          endColumn: 63,
          message: "controls.MODELACCESSCONTROL cites chat.py, which does not show access control in front of the model",
        },
      ],
    },
    {
      name: "a README that says so, a comment that plans it, one document for three controls",
      files: {
        "ai-system.yaml": manifest(
          LLM_APP,
          "controls:",
          "  RATELIMIT: {status: implemented, evidence: [README.md]}",
          "  MONITORUSE: {status: implemented, evidence: [app.py]}",
          "  SECPROGRAM: {status: implemented, evidence: [docs/security.md]}",
          "  OVERSIGHT: {status: implemented, evidence: [docs/security.md]}",
          "  AITRANSPARENCY: {status: partial, evidence: [docs/security.md]}",
        ),
        "README.md": "# Chat\nThe API is protected by rate limiting (rate_limit = 10/min).\n",
        "app.py": "# TODO: logger.info every call\ndef ask(q):\n    return q\n",
        "docs/security.md": "Security, oversight and transparency are handled.\n",
      },
      findings: [
        {
          path: "ai-system.yaml",
          line: 6,
          column: 47,
          endLine: 6,
          endColumn: 56,
          message:
            "controls.RATELIMIT cites README.md, which does not show a rate limiter (slowapi, flask-limiter, express-rate-limit, @upstash/ratelimit, a gateway or proxy limit) (a document saying so is not the control in place)",
        },
        {
          path: "ai-system.yaml",
          line: 7,
          column: 48,
          endLine: 7,
          endColumn: 54,
          message: "controls.MONITORUSE cites app.py, which does not show logging, tracing or metrics",
        },
        {
          path: "ai-system.yaml",
          line: 8,
          column: 48,
          endLine: 8,
          endColumn: 64,
          message: "controls.SECPROGRAM cites docs/security.md, which does not show something specific to each of SECPROGRAM, OVERSIGHT, AITRANSPARENCY",
        },
      ],
    },
  ],
});
