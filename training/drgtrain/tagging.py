"""Mention tagging: a training-only signal that says, token by token, what each mention in a note is.

The classifier is told one label per note: the DRG, whose CC/MCC level is the *highest* level among
the secondary diagnoses that count. From that alone a small model must work out which mention is a
CC, which an MCC, and which does not count at all (ruled out, long past, a relative's). The
synthetic corpus knows all of it: every generated note carries `spans` (principal, procedure, a
CC or MCC secondary, a chronic condition that is neither, a negated or a past mention). With
`train.py --tag-loss W`, a small linear head reads the hidden state every token has after the
second-to-last decoder layer -- what the last layer's attention reads when it pools the note into
the last token -- and is trained to name the kind of mention that token is in. The head is thrown
away afterwards: the saved model is a plain `LlamaForSequenceClassification` of the same shapes.

Notes without spans (the notes written whole, an export) get no tag loss (every tag ignored).
"""

import torch
import torch.nn.functional as F

from .data import IGNORE_TAG as IGNORE

TAGS = ("outside", "principal", "procedure", "chronic", "cc", "mcc", "negated", "history")


def token_tags(tokenizer, case: dict, max_tokens: int = 512, tail: int = 0) -> list[int] | None:
    """The tag of every token `data.encode` gives for `case["text"]` (BOS ignored), or None when the
    case has no spans. A token takes the kind of the span holding its last character.

    `tail` > 0 (`train.py --tag-tail`, issue 18, tenth pass): inside a mention, only its last `tail`
    tokens are tagged, the rest ignored. The model reads left to right, so in "Septic shock: ruled
    out." the tokens of "Septic shock" cannot know yet that it is ruled out; tagging them `negated`
    only teaches a guess from the name. The sentence's last tokens have read it all."""
    spans = case.get("spans")
    if not spans:
        return None
    text = case["text"]
    by_char = [0] * len(text)
    span_of = [-1] * len(text)
    for n, span in enumerate(spans):
        kind = TAGS.index(span["kind"]) if span["kind"] in TAGS else 0
        for i in range(max(0, span["start"]), min(len(text), span["end"])):
            by_char[i], span_of[i] = kind, n
    offsets = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)["offset_mapping"]
    tags, owner = [IGNORE], [-1]
    for start, end in offsets[: max_tokens - 1]:
        tags.append(by_char[end - 1] if end > start else IGNORE)
        owner.append(span_of[end - 1] if end > start else -1)
    if tail > 0:
        seen: dict[int, int] = {}
        for i in range(len(tags) - 1, 0, -1):  # from the end: a span's last `tail` tokens keep their tag
            if owner[i] >= 0 and tags[i] != IGNORE:
                seen[owner[i]] = seen.get(owner[i], 0) + 1
                if seen[owner[i]] > tail:
                    tags[i] = IGNORE
    return tags


class Tagger(torch.nn.Module):
    """A linear head from the hidden state after decoder layer `layer` (1-based) to the tags."""

    def __init__(self, hidden: int, layer: int):
        super().__init__()
        self.layer = layer
        self.head = torch.nn.Linear(hidden, len(TAGS))

    def loss(self, hidden_states: tuple[torch.Tensor, ...], tags: torch.Tensor) -> torch.Tensor:
        """Mean cross-entropy over the tagged tokens of the batch (zero when none is tagged)."""
        if not (tags != IGNORE).any():
            return torch.zeros(())
        logits = self.head(hidden_states[self.layer].float())
        return F.cross_entropy(logits.reshape(-1, len(TAGS)), tags.reshape(-1), ignore_index=IGNORE)
