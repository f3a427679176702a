// Rules on the Dockerfile scanner's observations (src/inventory/scanners/docker/).
import { RuleTester } from "../../src/policy/rule-tester.js";
import { LLM_APP, manifest } from "./helpers.js";

const tester = new RuleTester();
const sys = manifest(LLM_APP);
const df = (...lines: string[]) => lines.join("\n") + "\n";
const PINNED_BASE = "FROM python:3.12-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

tester.run("docker-remote-script-piped", {
  valid: [
    {
      name: "a script downloaded, checked, then run",
      files: {
        "ai-system.yaml": sys,
        Dockerfile: df(PINNED_BASE, "RUN curl -fsSLo /tmp/i.sh https://example.com/i.sh && echo 'abc  /tmp/i.sh' | sha256sum -c - && sh /tmp/i.sh"),
      },
    },
  ],
  invalid: [
    {
      files: {
        "ai-system.yaml": sys,
        "docker/serve.dockerfile": df(PINNED_BASE, "RUN apt-get update \\", "    && curl -sS https://bootstrap.pypa.io/get-pip.py | python3.10"),
      },
      findings: [
        { path: "docker/serve.dockerfile", line: 3, column: 8, message: "The image build pipes https://bootstrap.pypa.io/get-pip.py into python3.10" },
      ],
    },
  ],
});

tester.run("docker-unverified-model-download", {
  valid: [
    {
      name: "weights checked against a digest; hub download at a commit",
      files: {
        "ai-system.yaml": sys,
        Dockerfile: df(
          PINNED_BASE,
          "RUN curl -Lo /m/w.safetensors https://huggingface.co/o/m/resolve/main/w.safetensors && echo 'ab  /m/w.safetensors' | sha256sum -c -",
          "RUN huggingface-cli download o/m --revision 0123456789abcdef0123456789abcdef01234567",
        ),
      },
    },
    {
      name: "ADD with --checksum",
      files: {
        "ai-system.yaml": sys,
        Containerfile: df(
          PINNED_BASE,
          "ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/model.onnx /m/",
        ),
      },
    },
  ],
  invalid: [
    {
      files: {
        "ai-system.yaml": sys,
        Dockerfile: df(
          PINNED_BASE,
          "RUN wget http://models.example.com/llama.gguf",
          "ADD https://example.com/model.onnx /m/",
          "RUN huggingface-cli download org/model --local-dir /m",
        ),
      },
      findings: [
        { path: "Dockerfile", line: 2, column: 10, message: "wget fetches http://models.example.com/llama.gguf while the image is built, over plain HTTP" },
        { path: "Dockerfile", line: 3, column: 5, message: "ADD fetches https://example.com/model.onnx while the image is built, without --checksum=" },
        { path: "Dockerfile", line: 4, column: 5, message: "huggingface-cli fetches org/model while the image is built, without --revision=<commit hash>" },
      ],
    },
  ],
});

tester.run("docker-ai-package-unpinned", {
  valid: [
    {
      name: "exact versions; a library that is not AI",
      files: { "ai-system.yaml": sys, Dockerfile: df(PINNED_BASE, "RUN pip install --no-cache-dir torch==2.5.1 'transformers==4.46.3' requests") },
    },
    { name: "a constraints file pins them", files: { "ai-system.yaml": sys, Dockerfile: df(PINNED_BASE, "RUN pip install -c constraints.txt torch") } },
  ],
  invalid: [
    {
      files: { "ai-system.yaml": sys, Dockerfile: df(PINNED_BASE, "RUN python3 -m pip install numpy --pre torch \\", '    "langchain>=0.2"') },
      findings: [
        { path: "Dockerfile", line: 2, column: 40, message: "installs the AI library torch without an exact version (torch)" },
        { path: "Dockerfile", line: 3, column: 6, message: "installs the AI library langchain without an exact version (langchain>=0.2)" },
      ],
    },
  ],
});

tester.run("docker-pip-url-install", {
  valid: [
    {
      name: "a VCS install at a commit",
      files: {
        "ai-system.yaml": sys,
        Dockerfile: df(PINNED_BASE, "RUN pip install git+https://github.com/huggingface/peft.git@0123456789abcdef0123456789abcdef01234567"),
      },
    },
  ],
  invalid: [
    {
      files: { "ai-system.yaml": sys, Dockerfile: df(PINNED_BASE, "RUN pip install git+https://github.com/huggingface/peft.git") },
      findings: [
        {
          path: "Dockerfile",
          line: 2,
          column: 17,
          message: "The image build installs peft from git+https://github.com/huggingface/peft.git without a commit hash",
        },
      ],
    },
  ],
});

tester.run("docker-pip-extra-index", {
  valid: [
    {
      name: "one index that replaces PyPI",
      files: { "ai-system.yaml": sys, Dockerfile: df(PINNED_BASE, "RUN pip install --index-url https://download.pytorch.org/whl/cu121 torch==2.5.1") },
    },
  ],
  invalid: [
    {
      files: {
        "ai-system.yaml": sys,
        Dockerfile: df(
          PINNED_BASE,
          "RUN pip install --extra-index-url https://pypi.internal.example/simple acme-llm-utils==1.0",
          "RUN pip install --trusted-host pypi.internal.example acme-llm-utils==1.0",
        ),
      },
      findings: [
        {
          path: "Dockerfile",
          line: 2,
          column: 17,
          message: "pip in the image build is given --extra-index-url https://pypi.internal.example/simple: pip takes each package",
        },
        { path: "Dockerfile", line: 3, column: 17, message: "pip in the image build is given --trusted-host pypi.internal.example: TLS is not verified" },
      ],
    },
  ],
});

tester.run("docker-base-image-unpinned", {
  valid: [
    { name: "a digest", files: { "ai-system.yaml": sys, Dockerfile: df(PINNED_BASE, "EXPOSE 8000", 'CMD ["uvicorn", "app:app"]') } },
    { name: "a build image that serves nothing", files: { "ai-system.yaml": sys, Dockerfile: df("FROM python:latest", "RUN python train.py") } },
  ],
  invalid: [
    {
      files: {
        "ai-system.yaml": sys,
        Dockerfile: df(
          "FROM python:latest AS build",
          "RUN pip wheel . -w /w",
          "FROM vllm/vllm-openai",
          "COPY --from=build /w /w",
          "COPY --from=ghcr.io/astral-sh/uv:latest /uv /bin/uv",
          "EXPOSE 8000",
        ),
      },
      findings: [
        {
          path: "Dockerfile",
          line: 1,
          column: 6,
          message: "The serving image is built with FROM python:latest, which has the moving tag latest and no digest",
        },
        { path: "Dockerfile", line: 3, column: 6, message: "The serving image is built with FROM vllm/vllm-openai, which has no tag and no digest" },
        {
          path: "Dockerfile",
          line: 5,
          column: 13,
          message: "The serving image is built with COPY --from ghcr.io/astral-sh/uv:latest, which has the moving tag latest and no digest",
        },
      ],
    },
  ],
});

tester.run("docker-secret-in-image", {
  valid: [
    {
      name: "a build secret mount; an empty placeholder",
      files: {
        "ai-system.yaml": sys,
        Dockerfile: df(
          PINNED_BASE,
          "ENV HF_HOME=/cache OPENAI_API_KEY=",
          'RUN --mount=type=secret,id=hf huggingface-cli login --token "$(cat /run/secrets/hf)"',
        ),
      },
    },
    {
      name: "a build argument of a builder stage only",
      files: {
        "ai-system.yaml": sys,
        Dockerfile: df(
          PINNED_BASE + " AS build",
          "ARG HF_TOKEN",
          "RUN huggingface-cli download org/m --revision 0123456789abcdef0123456789abcdef01234567 --token $HF_TOKEN",
          PINNED_BASE,
          "COPY --from=build /root/.cache /cache",
        ),
      },
    },
  ],
  invalid: [
    {
      files: {
        "ai-system.yaml": sys,
        Dockerfile: df(PINNED_BASE, "ARG HF_TOKEN", "ENV HF_TOKEN=$HF_TOKEN", "ENV OPENAI_API_KEY=sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCD"),
      },
      findings: [
        { path: "Dockerfile", line: 2, column: 5, message: "ARG HF_TOKEN puts a secret into the image as a build argument, recorded in the image history" },
        { path: "Dockerfile", line: 3, column: 5, message: "ENV HF_TOKEN puts a secret into the image as a build argument copied into the environment" },
        { path: "Dockerfile", line: 4, column: 5, message: "ENV OPENAI_API_KEY puts a secret into the image as a literal value (sk-proj-…(48 chars))" },
      ],
    },
  ],
});

tester.run("docker-model-server-as-root", {
  valid: [
    {
      name: "an unprivileged user",
      files: { "ai-system.yaml": sys, Dockerfile: df(PINNED_BASE, "RUN pip install vllm==0.6.4", "USER 1000", "EXPOSE 8000", 'CMD ["vllm", "serve", "/m"]') },
    },
  ],
  invalid: [
    {
      files: { "ai-system.yaml": sys, Dockerfile: df(PINNED_BASE, "RUN pip install vllm==0.6.4", "EXPOSE 8000 8001", 'CMD ["vllm", "serve", "/m"]') },
      findings: [{ path: "Dockerfile", line: 3, column: 1, message: "The image exposes 8000, 8001 for a model server and never leaves the root user" }],
    },
  ],
});
