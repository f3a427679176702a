"""Wraps alert and log text in delimiters and drops instructions aimed at the agent."""
def fence(text: str) -> str:
    return "<untrusted>\n" + text.replace("</untrusted>", "") + "\n</untrusted>"
