"""Write a LLaMA-2-7B-shaped classifier checkpoint in f16 whose tensors are all zeros, as a *sparse*
file (seconds to write, no disk used), to check that a 7B f16 model runs inside 24 GB:

    /work/venv/bin/python bench/make_sparse_7b_f16.py /tmp/drgcoder-7b-f16 [--adapter]
    /usr/bin/time -v .build/release/drgcoder bench --model /tmp/drgcoder-7b-f16 --tokens 64 --repeats 1 --no-sgemm

32 layers, hidden 4096, intermediate 11008, 32 heads, vocab 32000, 738 labels: 6.74 B parameters,
13.5 GB of F16. The numbers it computes are meaningless (zeros); only memory and shapes matter here.
"""
import json
import os
import struct
import sys

out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/drgcoder-7b-f16"
os.makedirs(out, exist_ok=True)
H, I, L, V, LABELS = 4096, 11008, 32, 32000, 738
shapes = [("model.embed_tokens.weight", [V, H])]
for i in range(L):
    p = f"model.layers.{i}."
    shapes += [(p + "input_layernorm.weight", [H]), (p + "self_attn.q_proj.weight", [H, H]),
               (p + "self_attn.k_proj.weight", [H, H]), (p + "self_attn.v_proj.weight", [H, H]),
               (p + "self_attn.o_proj.weight", [H, H]), (p + "post_attention_layernorm.weight", [H]),
               (p + "mlp.gate_proj.weight", [I, H]), (p + "mlp.up_proj.weight", [I, H]),
               (p + "mlp.down_proj.weight", [H, I])]
shapes += [("model.norm.weight", [H]), ("score.weight", [LABELS, H])]
header, offset = {}, 0
for name, shape in shapes:
    size = 2
    for d in shape:
        size *= d
    header[name] = {"dtype": "F16", "shape": shape, "data_offsets": [offset, offset + size]}
    offset += size
blob = json.dumps(header, separators=(",", ":")).encode()
blob += b" " * (-len(blob) % 8)
with open(os.path.join(out, "model.safetensors"), "wb") as f:
    f.write(struct.pack("<Q", len(blob)) + blob)
    f.truncate(8 + len(blob) + offset)  # the data: a hole of zeros
config = {"model_type": "llama", "hidden_size": H, "intermediate_size": I, "num_hidden_layers": L,
          "num_attention_heads": 32, "num_key_value_heads": 32, "vocab_size": V, "rms_norm_eps": 1e-5,
          "rope_theta": 10000.0, "num_labels": LABELS, "pad_token_id": 0, "hidden_act": "silu"}
with open(os.path.join(out, "config.json"), "w") as f:
    json.dump(config, f)
print(f"{out}: {sum(1 for _ in shapes)} tensors, {offset / 1e9:.1f} GB of F16")

# With --adapter: also <out>/adapter, a PEFT LoRA adapter shaped like DRG-LLaMA's (r 8, alpha 16, on
# q/k/v/o of every layer), F32 zeros in a sparse file, to measure the memory of merging it:
#     .build/release/drgcoder bench --model /tmp/drgcoder-7b-f16 --adapter /tmp/drgcoder-7b-f16/adapter ...
if "--adapter" in sys.argv:
    R = 8
    adapter = os.path.join(out, "adapter")
    os.makedirs(adapter, exist_ok=True)
    header, offset = {}, 0
    for i in range(L):
        for m in ["q_proj", "k_proj", "v_proj", "o_proj"]:
            p = f"base_model.model.model.layers.{i}.self_attn.{m}."
            for name, shape in [(p + "lora_A.weight", [R, H]), (p + "lora_B.weight", [H, R])]:
                header[name] = {"dtype": "F32", "shape": shape, "data_offsets": [offset, offset + 4 * shape[0] * shape[1]]}
                offset = header[name]["data_offsets"][1]
    blob = json.dumps(header, separators=(",", ":")).encode()
    blob += b" " * (-len(blob) % 8)
    with open(os.path.join(adapter, "adapter_model.safetensors"), "wb") as f:
        f.write(struct.pack("<Q", len(blob)) + blob)
        f.truncate(8 + len(blob) + offset)
    with open(os.path.join(adapter, "adapter_config.json"), "w") as f:
        json.dump({"peft_type": "LORA", "r": R, "lora_alpha": 16, "bias": "none", "task_type": "SEQ_CLS",
                   "target_modules": ["q_proj", "k_proj", "v_proj", "o_proj"]}, f)
    print(f"{adapter}: {len(header)} tensors, {offset / 1e6:.0f} MB of F32")
