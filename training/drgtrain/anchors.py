"""The guard of a correction fine-tune: anchor notes hold the adapter close to the model it adapts.

A coder's corrections are few, and fitting them alone moves the model on every other note too
(docs/DEMO_MODEL.md, section 4: 48 overrides took held-out acc@1 from 0.663 to 0.443). Anchor notes
are other notes of the same hospital, without labels (the queue's import file will do). They are
split once, by position:

- rehearsal (four in five): every training step adds `weight` x KL(base || adapter) over a batch of
  them, the base model's own distribution as the soft target ("learning without forgetting",
  Li & Hoiem 2016), so the adapter learns the corrections where they differ and nothing else;
- watch (one in five, never trained on).

After each epoch `drift` is the share of all anchor notes whose top DRG the adapter changes, and
`watch_drift` the same over the watch notes alone (the rehearsed ones are pulled back towards the
base model, so their drift alone would flatter it; measured on the demo queue, the rehearsed notes
flipped about as often as the watched ones, so all of them count; the watched ones alone catch a
long run that has learned to keep the rehearsed ones in place and no others). The caller undoes an
epoch where either drifts past its limit, and stops.

Notes that are also export rows are dropped from the anchors: the corrections must not be pulled
back towards what the model said before.
"""

import torch
import torch.nn.functional as F

from . import data
from .labels import LabelSpace


def log_probs(logits: torch.Tensor, space: LabelSpace) -> list[torch.Tensor]:
    """The distributions a model head defines: one softmax (single label) or two (base DRG, then
    the CC/MCC class)."""
    if space.scheme == "single":
        return [F.log_softmax(logits.float(), -1)]
    nb = len(space.bases)
    return [F.log_softmax(logits[:, :nb].float(), -1), F.log_softmax(logits[:, nb:].float(), -1)]


class Anchors:
    """`scores(logits)` gives every DRG's log-probability for a batch (train.py's `drg_scores`), so
    a note's top DRG is chosen here exactly as every prediction is."""

    def __init__(self, texts: list[str], exclude: set[str], tokenizer, space: LabelSpace,
                 max_tokens: int, batch_size: int, scores):
        unique = [t for t in dict.fromkeys(texts) if t not in exclude]
        rehearse = [t for i, t in enumerate(unique) if i % 5 != 4]
        watch = unique[4::5]
        encode = lambda ts: [data.encode(tokenizer, t, max_tokens) for t in ts]  # noqa: E731
        # A rehearsal batch's `single` target column carries the row index into `self.targets`.
        self.rehearse = data.Batches(encode(rehearse), [(i, 0, 0) for i in range(len(rehearse))], batch_size)
        # Every anchor, the rehearsal notes first (row i of both is the same note), then the watched.
        self.every = data.Batches(self.rehearse.encoded + encode(watch), [(0, 0, 0)] * len(unique), 64)
        self.space, self.scores = space, scores
        self.targets: list[torch.Tensor] = []
        self.base_top: torch.Tensor | None = None
        self._batches = None

    @property
    def sizes(self) -> tuple[int, int]:
        rehearsed = len(self.rehearse.encoded)
        return rehearsed, len(self.every.encoded) - rehearsed

    @torch.no_grad()
    def capture(self, model):
        """Records the base model's distributions (rehearsal) and top DRGs (all anchors), from one
        pass over the anchors; call it before the first step, while the LoRA matrices are still zero."""
        logits = self._every_logits(model)
        self.targets = log_probs(logits[: len(self.rehearse.encoded)], self.space)
        self.base_top = self._top(logits)

    def loss(self, model, generator: torch.Generator, weight: float) -> torch.Tensor:
        """weight x KL(base || adapter), averaged over one rehearsal batch (batches cycle); zero
        when there is nothing to rehearse."""
        if not self.rehearse.encoded:
            return torch.zeros(())
        batch = next(self._batches, None) if self._batches is not None else None
        if batch is None:
            self._batches = self.rehearse.iterate(generator, shuffle=True)
            batch = next(self._batches)
        ids, mask, rows, _, _ = batch
        now = log_probs(self._logits(model, ids, mask), self.space)
        kl = sum(F.kl_div(p, t[rows], log_target=True, reduction="batchmean") for p, t in zip(now, self.targets))
        return weight * kl

    @torch.no_grad()
    def drift(self, model) -> tuple[float, float]:
        """The shares of all anchor notes and of the watch notes whose top DRG differs from the
        base model's."""
        if self.base_top is None or len(self.base_top) == 0:
            return 0.0, 0.0
        changed = (self._top(self._every_logits(model)) != self.base_top).float()
        watch = changed[len(self.rehearse.encoded):]
        return float(changed.mean()), float(watch.mean()) if len(watch) else 0.0

    def _every_logits(self, model) -> torch.Tensor:
        model.eval()
        out = torch.cat([self._logits(model, ids, mask) for ids, mask, *_ in self.every.iterate(None, shuffle=False)])
        model.train()
        return out

    def _top(self, logits: torch.Tensor) -> torch.Tensor:
        return torch.from_numpy(self.scores(logits.float())).argmax(-1)

    @staticmethod
    def _logits(model, ids, mask) -> torch.Tensor:
        return model(input_ids=ids, attention_mask=mask).logits
