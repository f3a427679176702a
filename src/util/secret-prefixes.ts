// Token formats whose prefix is public: the prefix names the issuer and is the same in every token,
// so showing it tells a reviewer which credential leaked without giving any of its secret part.
// `body` is the character set after the prefix and `min`/`max` its length, as the issuers document
// them (and as gitleaks' default rules and GitHub secret scanning match them). Used by
// src/util/redact.ts, both to mask a known secret and to find token shapes in arbitrary text.

export interface TokenFormat {
  /** The public prefix, shown in masked output. */
  prefix: string;
  service: string;
  /** Regex character class (without brackets) of the characters after the prefix. */
  body: string;
  min: number;
  max?: number;
  source: string;
}

const GITLEAKS = "gitleaks default configuration (config/gitleaks.toml)";

export const TOKEN_FORMATS: readonly TokenFormat[] = [
  {
    prefix: "sk-ant-",
    service: "Anthropic",
    body: "A-Za-z0-9_\\-",
    min: 32,
    source: `Anthropic API keys (sk-ant-api03-, sk-ant-admin01-); ${GITLEAKS} anthropic-api-key`,
  },
  { prefix: "sk-proj-", service: "OpenAI", body: "A-Za-z0-9_\\-", min: 20, source: `OpenAI project keys; ${GITLEAKS} openai-api-key` },
  { prefix: "sk-svcacct-", service: "OpenAI", body: "A-Za-z0-9_\\-", min: 20, source: "OpenAI service-account keys" },
  { prefix: "sk-admin-", service: "OpenAI", body: "A-Za-z0-9_\\-", min: 20, source: "OpenAI admin keys" },
  { prefix: "sk_live_", service: "Stripe", body: "A-Za-z0-9", min: 20, source: `Stripe secret keys; ${GITLEAKS} stripe-access-token` },
  { prefix: "sk_test_", service: "Stripe", body: "A-Za-z0-9", min: 20, source: `Stripe test keys; ${GITLEAKS} stripe-access-token` },
  { prefix: "rk_live_", service: "Stripe", body: "A-Za-z0-9", min: 20, source: "Stripe restricted keys" },
  { prefix: "rk_test_", service: "Stripe", body: "A-Za-z0-9", min: 20, source: "Stripe restricted test keys" },
  { prefix: "sk-", service: "OpenAI", body: "A-Za-z0-9_\\-", min: 20, source: `OpenAI API keys (legacy sk-); ${GITLEAKS} openai-api-key` },
  { prefix: "hf_", service: "Hugging Face", body: "A-Za-z0-9", min: 30, source: `Hugging Face user access tokens; ${GITLEAKS} huggingface-access-token` },
  {
    prefix: "api_org_",
    service: "Hugging Face",
    body: "A-Za-z0-9",
    min: 30,
    source: `Hugging Face organisation tokens; ${GITLEAKS} huggingface-organization-api-token`,
  },
  {
    prefix: "github_pat_",
    service: "GitHub",
    body: "A-Za-z0-9_",
    min: 40,
    source: `GitHub fine-grained personal access tokens; ${GITLEAKS} github-fine-grained-pat`,
  },
  { prefix: "ghp_", service: "GitHub", body: "A-Za-z0-9", min: 30, source: "GitHub personal access tokens (About authentication to GitHub: token prefixes)" },
  { prefix: "gho_", service: "GitHub", body: "A-Za-z0-9", min: 30, source: "GitHub OAuth access tokens" },
  { prefix: "ghu_", service: "GitHub", body: "A-Za-z0-9", min: 30, source: "GitHub user-to-server tokens" },
  { prefix: "ghs_", service: "GitHub", body: "A-Za-z0-9", min: 30, source: "GitHub server-to-server tokens" },
  { prefix: "ghr_", service: "GitHub", body: "A-Za-z0-9", min: 30, source: "GitHub refresh tokens" },
  { prefix: "glpat-", service: "GitLab", body: "A-Za-z0-9_\\-", min: 20, source: `GitLab personal access tokens; ${GITLEAKS} gitlab-pat` },
  { prefix: "gldt-", service: "GitLab", body: "A-Za-z0-9_\\-", min: 20, source: "GitLab deploy tokens" },
  { prefix: "xoxb-", service: "Slack", body: "A-Za-z0-9\\-", min: 10, source: `Slack bot tokens; ${GITLEAKS} slack-bot-token` },
  { prefix: "xoxp-", service: "Slack", body: "A-Za-z0-9\\-", min: 10, source: `Slack user tokens; ${GITLEAKS} slack-user-token` },
  { prefix: "xoxa-", service: "Slack", body: "A-Za-z0-9\\-", min: 10, source: "Slack app tokens (legacy)" },
  { prefix: "xoxr-", service: "Slack", body: "A-Za-z0-9\\-", min: 10, source: "Slack refresh tokens" },
  { prefix: "xoxs-", service: "Slack", body: "A-Za-z0-9\\-", min: 10, source: "Slack session tokens" },
  { prefix: "xapp-", service: "Slack", body: "A-Za-z0-9\\-", min: 10, source: `Slack app-level tokens; ${GITLEAKS} slack-app-token` },
  { prefix: "AKIA", service: "AWS", body: "A-Z0-9", min: 16, max: 16, source: "AWS IAM identifiers: access key ids" },
  { prefix: "ASIA", service: "AWS", body: "A-Z0-9", min: 16, max: 16, source: "AWS IAM identifiers: temporary access key ids" },
  { prefix: "ABIA", service: "AWS", body: "A-Z0-9", min: 16, max: 16, source: `${GITLEAKS} aws-access-token` },
  { prefix: "ACCA", service: "AWS", body: "A-Z0-9", min: 16, max: 16, source: `${GITLEAKS} aws-access-token` },
  { prefix: "AIza", service: "Google", body: "A-Za-z0-9_\\-", min: 35, max: 35, source: `Google API keys; ${GITLEAKS} gcp-api-key` },
  { prefix: "ya29.", service: "Google", body: "A-Za-z0-9_\\-", min: 20, source: "Google OAuth 2.0 access tokens" },
  { prefix: "r8_", service: "Replicate", body: "A-Za-z0-9", min: 37, max: 37, source: "Replicate API tokens" },
  { prefix: "gsk_", service: "Groq", body: "A-Za-z0-9", min: 48, source: "Groq API keys" },
  { prefix: "lsv2_pt_", service: "LangSmith", body: "a-f0-9_", min: 32, source: "LangSmith personal access tokens" },
  { prefix: "lsv2_sk_", service: "LangSmith", body: "a-f0-9_", min: 32, source: "LangSmith service keys" },
  { prefix: "pcsk_", service: "Pinecone", body: "A-Za-z0-9_", min: 30, source: "Pinecone API keys" },
  { prefix: "xai-", service: "xAI", body: "A-Za-z0-9", min: 40, source: "xAI API keys" },
  { prefix: "pplx-", service: "Perplexity", body: "A-Za-z0-9", min: 40, source: "Perplexity API keys" },
  { prefix: "tvly-", service: "Tavily", body: "A-Za-z0-9_\\-", min: 20, source: "Tavily API keys" },
  { prefix: "npm_", service: "npm", body: "A-Za-z0-9", min: 36, max: 36, source: `npm access tokens; ${GITLEAKS} npm-access-token` },
  { prefix: "pypi-", service: "PyPI", body: "A-Za-z0-9_\\-", min: 50, source: `PyPI API tokens; ${GITLEAKS} pypi-upload-token` },
  { prefix: "dop_v1_", service: "DigitalOcean", body: "a-f0-9", min: 64, max: 64, source: `${GITLEAKS} digitalocean-pat` },
  { prefix: "dapi", service: "Databricks", body: "a-f0-9", min: 32, max: 32, source: `${GITLEAKS} databricks-api-token` },
  { prefix: "SG.", service: "SendGrid", body: "A-Za-z0-9_\\-.", min: 60, max: 70, source: `${GITLEAKS} sendgrid-api-token` },
];
