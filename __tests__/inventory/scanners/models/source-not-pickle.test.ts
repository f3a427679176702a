// Source files are not pickles by content: a Python module that starts with `css = '''` has the
// GLOBAL opcode byte first and a STOP byte (`.`) soon after, but the names it would import are
// not Python identifiers, so no loader could import them. A real pickle without PROTO still is one.
import { RuleTester } from "../../../../src/policy/rule-tester.js";

const sys =
  "apiVersion: aigate/v1\nname: sys\nowner: {team: t, contact: t@example.com}\nprofile: {isGenAI: false, isLLM: false, trainsOrFinetunes: true, usesRAG: false, trainingDataSensitive: false, membershipSensitive: false, inputSensitive: false, modelIsIP: false, modelHostedExternally: false, untrustedInput: false, hasAgency: false}\n";
const TEMPLATES = "css = '''\n<style>\n.chat-message {\n    padding: 1.5rem;\n}\n</style>\n'''\n";

new RuleTester().run("model-pickle-format", {
  valid: [{ name: "a Python module of HTML templates", files: { "ai-system.yaml": sys, "htmlTemplates.py": TEMPLATES, "templates.txt": TEMPLATES } }],
  invalid: [
    {
      name: "a protocol 0 pickle without PROTO, named as text",
      files: { "ai-system.yaml": sys, "state.txt": "ccollections\nOrderedDict\n(tR." },
      findings: [{ path: "state.txt", line: 1, column: 1, message: "state.txt is a pickle file" }],
    },
    {
      // The code scanner reads a .py file whole and the model sniff takes those bytes (one read a file).
      name: "the same pickle named as Python source",
      files: { "ai-system.yaml": sys, "state.py": "ccollections\nOrderedDict\n(tR." },
      findings: [{ path: "state.py", line: 1, column: 1, message: "state.py is a pickle file" }],
    },
  ],
});
