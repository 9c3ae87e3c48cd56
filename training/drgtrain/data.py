"""Readers for the synthetic corpus and for `drgcoder export` files, and DRG-LLaMA tokenization.

Tokenization follows DRG-LLaMA: the LLaMA-2 SentencePiece tokenizer, BOS then the first 511 tokens
of the section text (512 in all), right padding with id 0 (`<unk>`, DRG-LLaMA's pad), so the
classifier reads the last real token (`LlamaForSequenceClassification` with `pad_token_id = 0`).

Export formats (`drgcoder export --format ...`):
- `drg-llama-single-csv`: columns `text,label`, label = index into the model's single-label space
  (a DRG code string is accepted too, e.g. "291");
- `jsonl`: one decision per line; the text is read from `text` / `section_text`, the coder's DRG
  from `final_drg` / `chosen_drg` / `chosen` / `drg` (first present; nested `{"drg": ...}` objects
  are accepted). Lines whose DRG is outside the label space are skipped and counted.
"""

import csv
import json
from pathlib import Path

import torch

BOS_ID, PAD_ID = 1, 0
IGNORE_TAG = -100  # a token with no tag (drgtrain.tagging)
TEXT_KEYS = ("text", "section_text", "section")  # where a JSONL line's note text may be, first present wins


def encode(tokenizer, text: str, max_tokens: int = 512) -> list[int]:
    ids = tokenizer(text, add_special_tokens=False)["input_ids"]
    return [BOS_ID] + ids[: max_tokens - 1]


def read_corpus(path: Path) -> list[dict]:
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def _first(obj: dict, keys: tuple[str, ...]):
    for k in keys:
        v = obj.get(k)
        if isinstance(v, dict):
            v = v.get("drg") or v.get("code")
        if v not in (None, ""):
            return v
    return None


def read_export(path: Path, drgs: list[str]) -> tuple[list[dict], int]:
    """Cases `{text, final_drg}` from an export file, and how many rows were skipped."""
    rows, skipped = [], 0
    if path.suffix.lower() == ".csv":
        with open(path, newline="") as f:
            reader = csv.DictReader(f)
            if not reader.fieldnames or not {"text", "label"} <= set(reader.fieldnames):
                raise ValueError(f"{path}: expected columns text,label (drg-llama-single-csv)")
            for row in reader:
                label = row["label"].strip()
                drg = drgs[int(label)] if label.isdigit() and int(label) < len(drgs) and label not in drgs else label.zfill(3)
                if drg in drgs:
                    rows.append({"text": row["text"], "final_drg": drg})
                else:
                    skipped += 1
        return rows, skipped
    with open(path) as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            obj = json.loads(line)
            text = _first(obj, TEXT_KEYS)
            drg = _first(obj, ("final_drg", "chosen_drg", "chosen", "drg"))
            if text is None or drg is None or str(drg).zfill(3) not in drgs:
                skipped += 1
                continue
            rows.append({"text": text, "final_drg": str(drg).zfill(3)})
    return rows, skipped


def read_notes(path: Path) -> list[str]:
    """Note texts only, from a JSONL file (`text` / `section_text` / `section`) or a CSV file with a
    `text` or `section_text` column: the anchor notes of a correction fine-tune (labels, if any,
    are ignored). Blank texts are skipped."""
    if path.suffix.lower() == ".csv":
        with open(path, newline="") as f:
            reader = csv.DictReader(f)
            column = next((c for c in ("text", "section_text") if c in (reader.fieldnames or [])), None)
            if column is None:
                raise ValueError(f"{path}: expected a text or section_text column")
            return [row[column] for row in reader if row[column].strip()]
    texts = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                text = _first(json.loads(line), TEXT_KEYS)
            except json.JSONDecodeError as error:
                raise ValueError(f"{path}:{n}: not JSON ({error.msg})") from None
            if isinstance(text, str) and text.strip():
                texts.append(text)
    return texts


class Batches:
    """Length-bucketed, shuffled batches of (input_ids, attention_mask, single, base, class), and
    with `tags` (one list per note, or None for an untagged note) a sixth tensor of token tags,
    padded with `IGNORE_TAG`."""

    def __init__(self, encoded: list[list[int]], targets: list[tuple[int, int, int]], batch_size: int,
                 tags: list[list[int] | None] | None = None):
        self.encoded, self.targets, self.batch_size, self.tags = encoded, targets, batch_size, tags

    def __len__(self):
        return (len(self.encoded) + self.batch_size - 1) // self.batch_size

    def iterate(self, generator: torch.Generator | None, shuffle: bool):
        n = len(self.encoded)
        order = torch.randperm(n, generator=generator).tolist() if shuffle else list(range(n))
        chunks = [order[i : i + self.batch_size * 8] for i in range(0, n, self.batch_size * 8)]
        batches = []
        for chunk in chunks:
            chunk = sorted(chunk, key=lambda i: len(self.encoded[i])) if shuffle else chunk
            batches += [chunk[i : i + self.batch_size] for i in range(0, len(chunk), self.batch_size)]
        if shuffle:
            perm = torch.randperm(len(batches), generator=generator).tolist()
            batches = [batches[i] for i in perm]
        for idx in batches:
            yield self.collate(idx)

    def collate(self, idx: list[int]):
        width = max(len(self.encoded[i]) for i in idx)
        ids = torch.full((len(idx), width), PAD_ID, dtype=torch.long)
        mask = torch.zeros((len(idx), width), dtype=torch.long)
        for row, i in enumerate(idx):
            seq = self.encoded[i]
            ids[row, : len(seq)] = torch.tensor(seq)
            mask[row, : len(seq)] = 1
        t = torch.tensor([self.targets[i] for i in idx], dtype=torch.long)
        if self.tags is None:
            return ids, mask, t[:, 0], t[:, 1], t[:, 2]
        tags = torch.full((len(idx), width), IGNORE_TAG, dtype=torch.long)
        for row, i in enumerate(idx):
            if self.tags[i] is not None:
                tags[row, : len(self.tags[i])] = torch.tensor(self.tags[i])
        return ids, mask, t[:, 0], t[:, 1], t[:, 2], tags
