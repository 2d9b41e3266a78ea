"""A session's AI usage as people and scripts read it, with estimated figures marked.

A call's tokens are estimated when its provider reported none (they were counted at about four
characters a token); its cost, computed from them, is then an estimate too. Text marks such a
figure with `~` and says so; JSON carries `"estimated": true`.
"""

from __future__ import annotations

from interview_platform.core.models import JSONDict, SessionTokenUsage, TokenUsage

ESTIMATE_MARK = "~"
ESTIMATED_NOTE = (
    f"{ESTIMATE_MARK} marks an estimate: the provider reported no usage for a call, so its "
    "tokens were counted at about four characters a token, and its cost follows from them."
)


def tokens_text(tokens: int, estimated: bool) -> str:
    """`1,234 tokens`, or `~1,234 tokens (estimated)`."""
    if estimated:
        return f"{ESTIMATE_MARK}{tokens:,} tokens (estimated)"
    return f"{tokens:,} tokens"


def cost_text(cost: float, estimated: bool) -> str:
    """`$0.0123`, or `~$0.0123` when it was computed from estimated tokens."""
    return f"{ESTIMATE_MARK if estimated else ''}${cost:.4f}"


def usage_as_dict(usage: SessionTokenUsage) -> JSONDict:
    """The session's usage for JSON: totals and each operation, each with `estimated`."""
    return {
        "input_tokens": usage.total_input_tokens,
        "output_tokens": usage.total_output_tokens,
        "total_tokens": usage.total_tokens,
        "cost_usd": usage.total_cost,
        "estimated": usage.estimated,
        "by_operation": {
            operation: _operation_as_dict(tokens)
            for operation, tokens in usage.breakdown_by_operation.items()
        },
    }


def _operation_as_dict(usage: TokenUsage) -> JSONDict:
    return {
        "provider": usage.provider,
        "model": usage.model,
        "input_tokens": usage.input_tokens,
        "output_tokens": usage.output_tokens,
        "total_tokens": usage.total_tokens,
        "cost_usd": round(usage.estimated_cost, 6),
        "estimated": usage.estimated,
        "duration_ms": usage.duration_ms,
    }


def usage_as_text(usage: SessionTokenUsage) -> str:
    """One line per operation and one for the total; a note when any figure is an estimate."""
    if not usage.breakdown_by_operation:
        return "No AI tokens were used: the built-in interviewer is free."
    lines = [
        f"{operation}: {_line(tokens.total_tokens, tokens.estimated_cost, tokens.estimated)} "
        f"({tokens.provider}/{tokens.model}; {tokens.input_tokens:,} in, "
        f"{tokens.output_tokens:,} out)"
        for operation, tokens in usage.breakdown_by_operation.items()
    ]
    lines.append(f"Total: {_line(usage.total_tokens, usage.total_cost, usage.estimated)}")
    if usage.estimated:
        lines.append(ESTIMATED_NOTE)
    return "\n".join(lines)


def _line(tokens: int, cost: float, estimated: bool) -> str:
    return f"{tokens_text(tokens, estimated)}, {cost_text(cost, estimated)}"
