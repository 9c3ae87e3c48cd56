"""Write a LLaMA classifier with 7B-shaped layers for `bench/run_prefill_bench.sh` (never committed).

hidden 4096, intermediate 11008, 32 heads (no GQA, as LLaMA-2-7B), 2 layers, vocab 1024, 738 labels,
seeded random weights (std 0.02). Written three times from the same tensors, as safetensors: f32/, f16/
and bf16/ (rounded to nearest even).

    /work/venv/bin/python bench/make_bench_model.py /tmp/drgcoder-bench
"""
import os
import sys

import torch
from transformers import LlamaConfig, LlamaForSequenceClassification

out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/drgcoder-bench"
torch.manual_seed(0)
config = LlamaConfig(
    vocab_size=1024, hidden_size=4096, intermediate_size=11008, num_hidden_layers=2, num_attention_heads=32,
    num_key_value_heads=32, rms_norm_eps=1e-5, rope_theta=10000.0, max_position_embeddings=4096,
    num_labels=738, pad_token_id=0, tie_word_embeddings=False)
with torch.no_grad():
    model = LlamaForSequenceClassification(config).eval()
    for p in model.parameters():
        if p.dim() > 1:
            p.normal_(0.0, 0.02)
# safe_serialization: transformers before 4.35 writes pytorch_model.bin unless asked.
model.save_pretrained(os.path.join(out, "f32"), safe_serialization=True)
model.to(torch.float16).save_pretrained(os.path.join(out, "f16"), safe_serialization=True)
model.to(torch.float32).to(torch.bfloat16).save_pretrained(os.path.join(out, "bf16"), safe_serialization=True)
print(out)
