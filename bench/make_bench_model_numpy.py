"""The bench model of bench/make_bench_model.py written with numpy alone, for a machine without torch:
the same tensor names, shapes, dtypes and config (hidden 4096, intermediate 11008, 32 heads, 2 layers,
vocab 1024, 738 labels), N(0, 0.02) weights from numpy's generator (so other values than torch's: fine
for memory and speed, not for comparing logits with torch), norms 1, bf16 rounded to nearest even.

    python3 bench/make_bench_model_numpy.py /tmp/drgcoder-bench [f32,f16,bf16]
"""
import json, os, sys
import numpy as np
out = sys.argv[1]
kinds = sys.argv[2].split(",") if len(sys.argv) > 2 else ["f32", "f16", "bf16"]
V, D, I, L, H, N = 1024, 4096, 11008, 2, 32, 738
rng = np.random.default_rng(0)
names = [("model.embed_tokens.weight", (V, D))]
for i in range(L):
    p = f"model.layers.{i}."
    names += [(p + "input_layernorm.weight", (D,)), (p + "post_attention_layernorm.weight", (D,))]
    names += [(p + f"self_attn.{n}_proj.weight", (D, D)) for n in "qkvo"]
    names += [(p + "mlp.gate_proj.weight", (I, D)), (p + "mlp.up_proj.weight", (I, D)), (p + "mlp.down_proj.weight", (D, I))]
names += [("model.norm.weight", (D,)), ("score.weight", (N, D))]
tensors = {n: (np.ones(s, np.float32) if len(s) == 1 else (rng.standard_normal(s, dtype=np.float32) * 0.02)) for n, s in names}
def bf16(a):
    u = a.view(np.uint32).astype(np.uint64)
    return ((u + 0x7FFF + ((u >> 16) & 1)) >> 16).astype(np.uint16)
for kind in kinds:
    d = os.path.join(out, kind); os.makedirs(d, exist_ok=True)
    header, blobs, off = {}, [], 0
    for n, s in names:
        a = tensors[n]
        b = a.tobytes() if kind == "f32" else (a.astype(np.float16).tobytes() if kind == "f16" else bf16(a).tobytes())
        header[n] = {"dtype": {"f32": "F32", "f16": "F16", "bf16": "BF16"}[kind], "shape": list(s), "data_offsets": [off, off + len(b)]}
        blobs.append(b); off += len(b)
    header["__metadata__"] = {"format": "pt"}
    h = json.dumps(header).encode(); h += b" " * (-len(h) % 8)
    with open(os.path.join(d, "model.safetensors"), "wb") as f:
        f.write(len(h).to_bytes(8, "little")); f.write(h)
        for b in blobs: f.write(b)
    cfg = {"architectures": ["LlamaForSequenceClassification"], "model_type": "llama", "vocab_size": V, "hidden_size": D,
           "intermediate_size": I, "num_hidden_layers": L, "num_attention_heads": H, "num_key_value_heads": H,
           "rms_norm_eps": 1e-5, "rope_theta": 10000.0, "max_position_embeddings": 4096, "hidden_act": "silu",
           "pad_token_id": 0, "bos_token_id": 1, "eos_token_id": 2, "tie_word_embeddings": False,
           "torch_dtype": {"f32": "float32", "f16": "float16", "bf16": "bfloat16"}[kind],
           "id2label": {str(i): f"LABEL_{i}" for i in range(N)}, "label2id": {f"LABEL_{i}": i for i in range(N)}}
    json.dump(cfg, open(os.path.join(d, "config.json"), "w"))
print(out)
