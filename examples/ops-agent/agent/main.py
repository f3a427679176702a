"""The on-call agent: a LangChain tool-calling agent over the self-hosted model."""
from langchain_community.tools import ShellTool
from langchain_community.llms import VLLM
from transformers import AutoTokenizer

tokenizer = AutoTokenizer.from_pretrained("meta-llama/Llama-3.1-8B-Instruct")
llm = VLLM(model="meta-llama/Llama-3.1-8B-Instruct", max_new_tokens=512)
shell = ShellTool()


def triage(alert_text: str) -> str:
    plan = llm.invoke(f"<alert>{alert_text}</alert>\nWhich diagnostic command should run first?")
    return shell.run(plan)
