#!/usr/bin/env python3
"""Train the demo DRG-LLaMA (from scratch on the synthetic corpus) or fine-tune it with LoRA.

DRG-LLaMA's recipe, scaled down (Wang et al., DRG-LLaMA, shared/papers/000_*):
`LlamaForSequenceClassification`, LLaMA-2 tokenizer, BOS + 511 tokens of the "Brief Hospital
Course", cross-entropy over DRGs (single label) or base-DRG CE + 0.5 x CC/MCC CE (two label).

From scratch (writes OUT/model in HF layout, OUT/drg_labels.json, OUT/metrics.json, OUT/checkpoint.pt):
    python training/train.py --corpus training/out/corpus --out training/out/run [--scheme single|two]
        [--curriculum training/out/compact] [--epochs 3] [--batch-size 32] [--lr 3e-3]
        [--hidden 64] [--layers 2] [--aux-positions 0.5] [--resume] [--init-from models/demo]
        [--token-dropout 0.1] [--label-smoothing 0.1] [--tag-loss 0.5]
    (the exact command that made models/demo is in docs/DEMO_MODEL.md)

Fine-tune from a `drgcoder export` file (LoRA r=8 on q/k/v/o; the trained `score` head stays frozen
unless --train-head, which also trains a copy saved as `modules_to_save`; stops at the first epoch
that fits every export row unless --keep-training; with --anchor, other notes of the hospital hold
the adapter close to the base model and an epoch that changes the top DRG of more than --max-drift
of them is undone (drgtrain/anchors.py); writes OUT/adapter_config.json +
OUT/adapter_model.safetensors the way PEFT does, and OUT/guard.json with the figures):
    python training/train.py --from-export corrections.csv --base-model models/demo --out adapter/
        --anchor queue.jsonl [--anchor-weight 3] [--max-drift 0.10]
        [--epochs 30] [--lr 3e-3] [--train-head] [--keep-training] [--resume]

Evaluate a model directory on the corpus test split:
    python training/train.py --eval-only --base-model models/demo --corpus training/out/corpus
    python training/train.py --eval-only --base-model models/demo --corpus training/heldout/heldout.jsonl

`--resume` continues from OUT/checkpoint.pt (model, optimizer, schedule, epoch, RNG). Runs on the
CPU with `--threads` (default 2) threads; never reads or logs note text beyond tokenizing it.
"""

import argparse
import json
import math
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from transformers import LlamaForSequenceClassification, PreTrainedTokenizerFast

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from training.drgtrain import data, metrics, modeling, tagging  # noqa: E402
from training.drgtrain.anchors import Anchors  # noqa: E402
from training.drgtrain.labels import CLASSES, LabelSpace  # noqa: E402
from training.synth.grouping import Grouper  # noqa: E402


def find_shared() -> Path:
    here = Path(__file__).resolve()
    for base in here.parents:
        if (base / "shared" / "reference").is_dir():
            return base / "shared" / "reference"
    sys.exit("train: cannot find shared/reference beside the checkout")


def load_tokenizer(model_dir: Path | None):
    path = model_dir / "tokenizer.json" if model_dir and (model_dir / "tokenizer.json").exists() else \
        find_shared() / "llama-tokenizers" / "llama2-spm.tokenizer.json"
    return PreTrainedTokenizerFast(tokenizer_file=str(path))


def drg_scores(logits: torch.Tensor, space: LabelSpace) -> np.ndarray:
    """Log-probability of every DRG of the space, for either scheme."""
    if space.scheme == "single":
        return F.log_softmax(logits, -1).numpy()
    nb = len(space.bases)
    base = F.log_softmax(logits[:, :nb], -1)
    valid = space.valid_classes()
    out = torch.full((logits.shape[0], len(space.drgs)), -1e9)
    for j, d in enumerate(space.drgs):
        _, b, c = space.targets(d)
        allowed = sorted(valid[b])
        cls = F.log_softmax(logits[:, nb + torch.tensor(allowed)], -1)
        out[:, j] = base[:, b] + cls[:, allowed.index(c)]
    return out.numpy()


def loss_fn(logits, single, base, cls, space: LabelSpace, smoothing: float = 0.0):
    if space.scheme == "single":
        return F.cross_entropy(logits, single, label_smoothing=smoothing)
    nb = len(space.bases)
    return F.cross_entropy(logits[:, :nb], base, label_smoothing=smoothing) + \
        0.5 * F.cross_entropy(logits[:, nb:], cls, label_smoothing=smoothing)


def drop_tokens(ids, mask, rate: float, generator: torch.Generator):
    """Token dropout (training only): each real token but BOS is replaced by a random vocabulary
    id with probability `rate`, so no single word piece is indispensable and typos or unseen
    wordings look like what the model trained on."""
    if rate <= 0:
        return ids
    hit = (torch.rand(ids.shape, generator=generator) < rate) & mask.bool()
    hit[:, 0] = False
    noise = torch.randint(3, 32000, ids.shape, generator=generator)
    return torch.where(hit, noise, ids)


def forward(model, ids, mask, args):
    """Pooled logits (the last non-pad token, as `LlamaForSequenceClassification` reads them), the
    score head applied at every position when `--aux-positions` > 0 (training only), and the hidden
    states of every layer when a mention tagger is trained (`--tag-loss`)."""
    tagging_on = getattr(args, "tagger", None) is not None
    if not getattr(args, "aux_positions", 0) and not tagging_on:
        return model(input_ids=ids, attention_mask=mask).logits, None, None
    out = model.model(input_ids=ids, attention_mask=mask, output_hidden_states=tagging_on)
    every = model.score(out.last_hidden_state)
    last = mask.sum(1) - 1
    pooled = every[torch.arange(ids.shape[0]), last]
    return pooled, every if getattr(args, "aux_positions", 0) else None, out.hidden_states if tagging_on else None


def aux_loss(every, mask, single, base, cls, space, smoothing=0.0):
    """Mean cross-entropy of the per-position predictions against the case's label."""
    b, t, c = every.shape
    keep = mask.reshape(-1).bool()
    flat = every.reshape(b * t, c)[keep].float()
    rep = lambda y: y[:, None].expand(b, t).reshape(-1)[keep]  # noqa: E731
    return loss_fn(flat, rep(single), rep(base), rep(cls), space, smoothing)


def prepare(cases, tokenizer, space, batch_size, max_tokens, tagged=False, tail=0):
    """Batches of `cases`; with `tagged`, carrying each note's mention tags (`drgtrain.tagging`; `tail`:
    only each mention's last tokens tagged)."""
    encoded = [data.encode(tokenizer, c["text"], max_tokens) for c in cases]
    targets = [space.targets(c["final_drg"]) for c in cases]
    tags = [tagging.token_tags(tokenizer, c, max_tokens, tail) for c in cases] if tagged else None
    return data.Batches(encoded, targets, batch_size, tags)


@torch.no_grad()
def predict(model, batches: data.Batches, space: LabelSpace) -> np.ndarray:
    model.eval()
    out = [drg_scores(model(input_ids=ids, attention_mask=mask).logits.float(), space)
           for ids, mask, *_ in batches.iterate(None, shuffle=False)]
    model.train()
    return np.concatenate(out)


def train_loop(model, params, epochs: list[data.Batches], args, out: Path, space, on_epoch=None, extra_loss=None):
    """AdamW with linear warm-up and cosine decay over `epochs` (one dataset per epoch: the
    curriculum's compact notes first, then the corpus); checkpoint after every epoch. Stops early
    when `on_epoch(epoch)` returns True. `extra_loss(gen)`, when given, is added to every step's
    loss (the anchor notes' distillation term of a correction fine-tune)."""
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=args.weight_decay, betas=(0.9, 0.98))
    total = sum(len(b) for b in epochs)
    warm = min(args.warmup, total // 10 + 1)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warm) * 0.5 * (1 + math.cos(math.pi * min(1.0, s / total))))
    gen = torch.Generator().manual_seed(args.seed)
    start_epoch, ckpt = 0, out / "checkpoint.pt"
    tagger = getattr(args, "tagger", None)  # the mention tagger's head (`--tag-loss`), saved beside the model
    if args.resume and ckpt.exists():
        state = torch.load(ckpt, weights_only=False)
        model.load_state_dict(state["model"], strict=False)
        if tagger is not None and "tagger" in state:
            tagger.load_state_dict(state["tagger"])
        opt.load_state_dict(state["optimizer"])
        sched.load_state_dict(state["scheduler"])
        gen.set_state(state["generator"])
        start_epoch = state["epoch"]
        print(f"resumed after epoch {start_epoch}", flush=True)
    model.train()
    for epoch in range(start_epoch, len(epochs)):
        train = epochs[epoch]
        t0, seen, total_loss = time.time(), 0, 0.0
        for step, batch in enumerate(train.iterate(gen, shuffle=True)):
            ids, mask, single, base, cls = batch[:5]
            ids = drop_tokens(ids, mask, getattr(args, "token_dropout", 0.0), gen)
            smoothing = getattr(args, "label_smoothing", 0.0)
            logits, every, hidden_states = forward(model, ids, mask, args)
            loss = loss_fn(logits.float(), single, base, cls, space, smoothing)
            if every is not None:
                loss = loss + args.aux_positions * aux_loss(every, mask, single, base, cls, space, smoothing)
            if hidden_states is not None and len(batch) > 5:
                loss = loss + args.tag_loss * tagger.loss(hidden_states, batch[5])
            if extra_loss is not None:
                loss = loss + extra_loss(gen)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            sched.step()
            seen += ids.shape[0]
            total_loss += loss.item() * ids.shape[0]
            if step % 50 == 0:
                print(f"epoch {epoch + 1} step {step}/{len(train)} loss {loss.item():.4f} "
                      f"lr {sched.get_last_lr()[0]:.2e} {time.time() - t0:.0f}s", flush=True)
        print(f"epoch {epoch + 1} done: mean loss {total_loss / max(seen, 1):.4f} in {time.time() - t0:.0f}s", flush=True)
        stop = bool(on_epoch(epoch + 1)) if on_epoch else False
        trainable = {k: v for k, v in model.state_dict().items()} if not args.from_export else \
            {k: v for k, v in model.state_dict().items() if "lora_" in k or "modules_to_save" in k}
        state = {"model": trainable, "optimizer": opt.state_dict(), "scheduler": sched.state_dict(),
                 "generator": gen.get_state(), "epoch": epoch + 1}
        if tagger is not None:
            state["tagger"] = tagger.state_dict()  # so --resume goes on with the same head
        torch.save(state, ckpt)
        if stop:
            print(f"stopping after epoch {epoch + 1} of {len(epochs)}", flush=True)
            break


def from_scratch(args):
    corpus = Path(args.corpus)
    train_cases = data.read_corpus(corpus / "train.jsonl")
    val_cases = data.read_corpus(corpus / "validation.jsonl")
    test_cases = data.read_corpus(corpus / "test.jsonl")
    if args.limit:
        train_cases = train_cases[: args.limit]
    titles = Grouper._read_v43_titles()
    drgs = sorted({c["final_drg"] for c in train_cases + val_cases + test_cases})
    space = LabelSpace(args.scheme, drgs, titles)
    id2label = {i: d for i, d in enumerate(drgs)} if args.scheme == "single" else \
        {i: n for i, n in enumerate(space.bases + list(CLASSES))}
    if args.init_from:  # warm start: the sizes are the earlier model's
        earlier = json.loads((Path(args.init_from) / "config.json").read_text())
        args.hidden, args.layers = earlier["hidden_size"], earlier["num_hidden_layers"]
        args.heads, args.intermediate = earlier["num_attention_heads"], earlier["intermediate_size"]
    config = modeling.build_config(space.num_logits, id2label, args.hidden, args.layers, args.heads,
                                   args.intermediate, args.max_tokens)
    config.attention_dropout = args.dropout
    if args.init_from:  # widen.py scales epsilon with the width, so the warm start computes the same
        config.rms_norm_eps = earlier.get("rms_norm_eps", config.rms_norm_eps)
    torch.manual_seed(args.seed)
    model = modeling.build_model(config)
    if args.init_from:
        kept = modeling.warm_start(model, Path(args.init_from), drgs)
        print(f"warm start from {args.init_from}: {kept} of {len(drgs)} score rows carried over", flush=True)
    print(f"{sum(p.numel() for p in model.parameters()) / 1e6:.2f} M parameters, {space.num_logits} logits, "
          f"{len(train_cases)} train cases", flush=True)
    tok = load_tokenizer(None)
    params = list(model.parameters())
    if args.tag_loss > 0:
        args.tagger = tagging.Tagger(config.hidden_size, max(config.num_hidden_layers - 1, 1))
        params += list(args.tagger.parameters())
    train = prepare(train_cases, tok, space, args.batch_size, args.max_tokens, tagged=args.tag_loss > 0,
                    tail=args.tag_tail)
    val = prepare(val_cases, tok, space, 64, args.max_tokens)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    history = []

    def on_epoch(epoch):
        m = metrics.evaluate(predict(model, val, space), val_cases, drgs, titles)
        history.append({"epoch": epoch, **{k: m[k] for k in ("acc@1", "acc@5", "base_acc", "cc_mcc_acc")}})
        print(f"validation after epoch {epoch}: " + json.dumps(history[-1]), flush=True)

    t0 = time.time()
    schedule = [train] * args.epochs
    if args.curriculum:
        compact = data.read_corpus(Path(args.curriculum) / "train.jsonl")
        compact = [c for c in compact if c["final_drg"] in drgs]
        schedule = [prepare(compact, tok, space, args.batch_size, args.max_tokens)] * args.curriculum_epochs + schedule
        print(f"curriculum: {args.curriculum_epochs} epoch(s) of {len(compact)} compact notes first", flush=True)
    train_loop(model, params, schedule, args, out, space, on_epoch)
    seconds = time.time() - t0
    model.config.attention_dropout = 0.0  # training-time only; the shipped config has none
    model.save_pretrained(out / "model", safe_serialization=True)
    (out / "drg_labels.json").write_text(json.dumps(space.to_json(), separators=(",", ":")))
    test = prepare(test_cases, tok, space, 64, args.max_tokens)
    result = {"train_seconds_this_run": seconds, "validation_history": history,
              "test": metrics.evaluate(predict(model, test, space), test_cases, drgs, titles)}
    (out / "metrics.json").write_text(json.dumps(result, indent=1))
    print(json.dumps({k: v for k, v in result["test"].items() if k != "families"}), flush=True)


def from_export(args):
    from peft import LoraConfig, get_peft_model

    args.aux_positions = 0.0
    args.token_dropout = args.label_smoothing = 0.0

    base_dir = Path(args.base_model)
    titles = Grouper._read_v43_titles()
    space = LabelSpace.load(base_dir / "drg_labels.json", titles)
    rows, skipped = data.read_export(Path(args.from_export), space.drgs)
    if not rows:
        sys.exit(f"train: {args.from_export}: no usable rows ({skipped} skipped)")
    print(f"{len(rows)} export rows, {skipped} skipped", flush=True)
    model = LlamaForSequenceClassification.from_pretrained(base_dir, dtype=torch.float32)
    torch.manual_seed(args.seed)  # LoRA's initial A matrices and its dropout: the same export, the same adapter
    # The head is already trained: by default only the LoRA matrices learn (`--train-head` also
    # trains a copy of `score`, saved as modules_to_save, as DRG-LLaMA does from a bare LLaMA).
    lora = LoraConfig(r=8, lora_alpha=16, lora_dropout=0.05, target_modules=["q_proj", "k_proj", "v_proj", "o_proj"],
                      modules_to_save=["score"] if args.train_head else None, task_type="SEQ_CLS")
    model = get_peft_model(model, lora)
    tok = load_tokenizer(base_dir)
    train = prepare(rows, tok, space, min(args.batch_size, len(rows)), args.max_tokens)
    before = metrics.evaluate(predict(model, train, space), rows, space.drgs, titles)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    params = [p for p in model.parameters() if p.requires_grad]
    anchors = None
    if args.anchor:
        anchors = Anchors(data.read_notes(Path(args.anchor)), {r["text"] for r in rows}, tok, space,
                          args.max_tokens, min(args.batch_size, len(rows)), lambda l: drg_scores(l, space))
        if sum(anchors.sizes) == 0:
            sys.exit(f"train: {args.anchor}: no anchor notes besides the export's own rows")
        anchors.capture(model)
        print(f"anchor notes: {anchors.sizes[0]} rehearsed, {anchors.sizes[1]} watched "
              f"(max drift {args.max_drift:.0%})", flush=True)
    else:
        print("train: no --anchor notes: nothing holds the other cases' predictions in place "
              "(docs/DEMO_MODEL.md, section 4)", file=sys.stderr, flush=True)
    lora_state = lambda: {k: v.detach().clone() for k, v in model.state_dict().items()  # noqa: E731
                          if "lora_" in k or "modules_to_save" in k}
    kept = {"state": lora_state(), "epoch": 0, "drift": 0.0, "watch": 0.0}

    def after_epoch(epoch):
        """Stops at the first epoch whose adapter predicts every export row's DRG (each further
        epoch only moves the model further from what it knew), and, with anchors, undoes an epoch
        that changes more than --max-drift of the anchor notes' top DRG and stops there."""
        acc = metrics.evaluate(predict(model, train, space), rows, space.drgs, titles)["acc@1"]
        drift, watch = anchors.drift(model) if anchors else (0.0, 0.0)
        print(f"after epoch {epoch}: acc@1 on the export rows {acc:.3f}" +
              (f", top DRG changed on {drift:.3f} of the anchor notes ({watch:.3f} of the watched)" if anchors else ""),
              flush=True)
        if max(drift, watch) > args.max_drift:
            model.load_state_dict(kept["state"], strict=False)
            print(f"epoch {epoch} drifted past {args.max_drift:.3f}: back to epoch {kept['epoch']}", flush=True)
            return True
        kept.update(state=lora_state(), epoch=epoch, drift=drift, watch=watch)
        return acc >= 1.0 and not args.keep_training

    train_loop(model, params, [train] * args.epochs, args, out, space, on_epoch=after_epoch,
               extra_loss=(lambda gen: anchors.loss(model, gen, args.anchor_weight)) if anchors else None)
    after = metrics.evaluate(predict(model, train, space), rows, space.drgs, titles)
    (out / "checkpoint.pt").unlink(missing_ok=True)  # finished: only the adapter stays beside the export's model
    report = {"export_rows": len(rows), "acc@1_on_export_before": before["acc@1"],
              "acc@1_on_export_after": after["acc@1"], "epochs_kept": kept["epoch"]}
    if anchors:
        report.update(anchor_notes=sum(anchors.sizes), watch_notes=anchors.sizes[1],
                      drift=round(kept["drift"], 4), drift_on_watch=round(kept["watch"], 4), max_drift=args.max_drift)
    (out / "guard.json").write_text(json.dumps(report, indent=1) + "\n")
    if kept["epoch"] == 0:
        sys.exit(f"train: no epoch stayed within --max-drift {args.max_drift} of the anchor notes; "
                 f"no adapter written (see {out / 'guard.json'})")
    model.save_pretrained(out, safe_serialization=True)
    print(json.dumps(report), flush=True)


def eval_only(args):
    base_dir = Path(args.base_model)
    titles = Grouper._read_v43_titles()
    space = LabelSpace.load(base_dir / "drg_labels.json", titles)
    model = LlamaForSequenceClassification.from_pretrained(base_dir, dtype=torch.float32)
    path = Path(args.corpus)
    cases = data.read_corpus(path if path.is_file() else path / f"{args.split}.jsonl")
    # A case whose DRG the model cannot express counts as wrong (it stays in the denominator).
    outside = sum(c["final_drg"] not in space.drgs for c in cases)
    encoded = [data.encode(load_tokenizer(base_dir), c["text"], args.max_tokens) for c in cases]
    batches = data.Batches(encoded, [(0, 0, 0)] * len(cases), 64)
    result = metrics.evaluate(predict(model, batches, space), cases, space.drgs, titles)
    print(json.dumps({"outside_label_space": outside, **result}, indent=1))


def main(argv=None):
    ap = argparse.ArgumentParser(description="Train or fine-tune the demo DRG-LLaMA.")
    ap.add_argument("--corpus", help="directory with train/validation/test.jsonl")
    ap.add_argument("--from-export", help="drgcoder export file (drg-llama-single-csv or jsonl)")
    ap.add_argument("--base-model", help="model directory for --from-export / --eval-only")
    ap.add_argument("--eval-only", action="store_true")
    ap.add_argument("--split", default="test")
    ap.add_argument("--out", default="training/out/run")
    ap.add_argument("--scheme", choices=["single", "two"], default="single")
    ap.add_argument("--epochs", type=int, help="default 3 from scratch; from an export at most 30 (it stops when every row fits)")
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--lr", type=float, help="default 3e-3 (from scratch and for the LoRA from an export)")
    ap.add_argument("--weight-decay", type=float, default=0.01)
    ap.add_argument("--warmup", type=int, default=200)
    ap.add_argument("--hidden", type=int, default=64)
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--intermediate", type=int, default=172)
    ap.add_argument("--max-tokens", type=int, default=512)
    ap.add_argument("--aux-positions", type=float, default=0.0,
                    help="weight of an auxiliary loss: the label predicted from every position (from scratch only)")
    ap.add_argument("--tag-tail", type=int, default=0,
                    help="with --tag-loss: tag only the last N tokens of each mention (0: every token)")
    ap.add_argument("--tag-loss", type=float, default=0.0,
                    help="from scratch: weight of the mention-tagging loss on the generator's spans "
                    "(training only; drgtrain/tagging.py)")
    ap.add_argument("--token-dropout", type=float, default=0.0,
                    help="from scratch: replace this share of input tokens by random ones while training")
    ap.add_argument("--label-smoothing", type=float, default=0.0, help="from scratch: label smoothing of the CE")
    ap.add_argument("--dropout", type=float, default=0.0, help="from scratch: attention dropout of the model")
    ap.add_argument("--init-from", help="from scratch: start from this model directory's weights (same sizes; "
                    "score rows matched by DRG, new DRGs start fresh)")
    ap.add_argument("--curriculum", help="directory of compact notes (generate --compact) trained on first")
    ap.add_argument("--curriculum-epochs", type=int, default=1)
    ap.add_argument("--limit", type=int, default=0, help="use only the first N training cases")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=43)
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--train-head", action="store_true",
                    help="from an export: also train the score head (saved as modules_to_save)")
    ap.add_argument("--keep-training", action="store_true",
                    help="from an export: run every epoch, not stop at the first that fits every row")
    ap.add_argument("--anchor", help="from an export: other notes of the same hospital (JSONL or CSV with a text "
                    "column; labels ignored) that hold the adapter close to the base model")
    ap.add_argument("--anchor-weight", type=float, default=3.0,
                    help="from an export: weight of the anchor notes' KL(base || adapter) term")
    ap.add_argument("--max-drift", type=float, default=0.10,
                    help="from an export with --anchor: the largest share of anchor notes (and of the "
                    "watched ones alone) whose top DRG an epoch may change; a later epoch is undone")
    args = ap.parse_args(argv)
    if not 0.0 <= args.max_drift <= 1.0:
        ap.error("--max-drift is a share of notes, from 0 to 1")
    if args.anchor_weight < 0:
        ap.error("--anchor-weight cannot be negative")
    if args.epochs is None:
        args.epochs = 30 if args.from_export else 3
    if args.lr is None:
        args.lr = 3e-3
    torch.set_num_threads(args.threads)
    if args.eval_only:
        if not (args.base_model and args.corpus):
            ap.error("--eval-only needs --base-model and --corpus")
        eval_only(args)
    elif args.from_export:
        if not args.base_model:
            ap.error("--from-export needs --base-model")
        from_export(args)
    elif args.corpus:
        from_scratch(args)
    else:
        ap.error("give --corpus (train from scratch), --from-export or --eval-only")


if __name__ == "__main__":
    try:
        main()
    except (OSError, ValueError, KeyError) as error:  # bad input file: one line, exit status 1
        sys.exit(f"train: {error}")
