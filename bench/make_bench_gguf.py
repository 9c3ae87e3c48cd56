"""Write the benchmark model of `make_bench_model.py` as GGUF files for llama.cpp (never committed).

    python bench/make_bench_gguf.py /tmp/drgcoder-bench LLAMA_CPP_DIR

Reads DIR/f32/model.safetensors and writes DIR/gguf/f32.gguf and DIR/gguf/f16.gguf (norms stay f32, as
llama.cpp's own converter keeps them) with the `gguf` package of the llama.cpp snapshot
(LLAMA_CPP_DIR/gguf-py). bf16 and Q8_0 are made from these by `llama-quantize` (run_llamacpp_bench.sh).

Same layer shapes and the same weights as drgcoder reads (hidden 4096, intermediate 11008, 32 heads,
2 layers, vocab 1024). Differences that do not change the work of a prefill: the classifier head
`score` (738 rows) becomes llama.cpp's `output` (the LM head, 1024 rows, computed for the last token
only, as drgcoder computes its head for the pooled token only); q/k are not permuted into llama.cpp's
rotary layout (the numbers differ, the arithmetic does not); the vocabulary is 3 specials, 256 byte
tokens and fillers (llama-bench feeds random ids, no text).

    python bench/make_bench_gguf.py --zeros-7b OUT.gguf LLAMA_CPP_DIR

writes instead a LLaMA-2-7B-shaped F16 GGUF (32 layers, vocab 32,000) whose weights are all zeros, the
llama.cpp side of `bench/q8_memory_7b.sh` (drgcoder's side is `make_sparse_7b_f16.py`): memory and the
kernels' time do not depend on the values. The zeros are `np.zeros` pages never written, so writing the
13.5 GB file needs little memory.
"""
import os
import sys

import numpy as np
from safetensors.numpy import load_file

zeros_7b = sys.argv[1] == "--zeros-7b"
out, llama_cpp = sys.argv[2 if zeros_7b else 1], sys.argv[3 if zeros_7b else 2]
sys.path.insert(0, os.path.join(llama_cpp, "gguf-py"))
import gguf  # noqa: E402

names = {"self_attn.q_proj": "attn_q", "self_attn.k_proj": "attn_k", "self_attn.v_proj": "attn_v",
         "self_attn.o_proj": "attn_output", "mlp.gate_proj": "ffn_gate", "mlp.up_proj": "ffn_up",
         "mlp.down_proj": "ffn_down", "input_layernorm": "attn_norm", "post_attention_layernorm": "ffn_norm"}
heads = 32
if zeros_7b:
    layers, hidden, inter, vocab = 32, 4096, 11008, 32000
    square, widening, narrowing = (hidden, hidden), (inter, hidden), (hidden, inter)
    shapes = {"self_attn.q_proj": square, "self_attn.k_proj": square, "self_attn.v_proj": square,
              "self_attn.o_proj": square, "mlp.gate_proj": widening, "mlp.up_proj": widening,
              "mlp.down_proj": narrowing, "input_layernorm": (hidden,), "post_attention_layernorm": (hidden,)}
    tensors = {f"model.layers.{i}.{hf}.weight": np.zeros(shape, np.float32 if len(shape) == 1 else np.float16)
               for i in range(layers) for hf, shape in shapes.items()}
    tensors["model.embed_tokens.weight"] = np.zeros((vocab, hidden), np.float16)
    tensors["model.norm.weight"] = np.zeros(hidden, np.float32)
    head = np.zeros((vocab, hidden), np.float16)
    targets = [("f16", gguf.LlamaFileType.MOSTLY_F16, out)]
else:
    tensors = load_file(os.path.join(out, "f32", "model.safetensors"))
    layers = 1 + max(int(k.split(".")[2]) for k in tensors if k.startswith("model.layers."))
    hidden = tensors["model.embed_tokens.weight"].shape[1]
    vocab = tensors["model.embed_tokens.weight"].shape[0]
    inter = tensors["model.layers.0.mlp.gate_proj.weight"].shape[0]
    rng = np.random.default_rng(0)
    head = rng.normal(0, 0.02, size=(vocab, hidden)).astype(np.float32)
    os.makedirs(os.path.join(out, "gguf"), exist_ok=True)
    targets = [(dtype, file_type, os.path.join(out, "gguf", f"{dtype}.gguf"))
               for dtype, file_type in (("f32", gguf.LlamaFileType.ALL_F32), ("f16", gguf.LlamaFileType.MOSTLY_F16))]

for dtype, file_type, path in targets:
    writer = gguf.GGUFWriter(path, "llama")
    writer.add_name("drgcoder-bench")
    writer.add_context_length(4096)
    writer.add_embedding_length(hidden)
    writer.add_block_count(layers)
    writer.add_feed_forward_length(inter)
    writer.add_rope_dimension_count(hidden // heads)
    writer.add_head_count(heads)
    writer.add_head_count_kv(heads)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_rope_freq_base(10000.0)
    writer.add_vocab_size(vocab)
    writer.add_file_type(file_type)
    writer.add_tokenizer_model("llama")
    tokens = ["<unk>", "<s>", "</s>"] + [f"<0x{b:02X}>" for b in range(256)]
    tokens += [f"\u2581t{i}" for i in range(vocab - len(tokens))]
    types = [gguf.TokenType.UNKNOWN, gguf.TokenType.CONTROL, gguf.TokenType.CONTROL] + [gguf.TokenType.BYTE] * 256
    types += [gguf.TokenType.NORMAL] * (vocab - len(types))
    writer.add_token_list(tokens)
    writer.add_token_scores([0.0] * vocab)
    writer.add_token_types(types)
    writer.add_bos_token_id(1)
    writer.add_eos_token_id(2)
    writer.add_unk_token_id(0)

    def add(name, value):
        # copy=False: the 7B's zeros are already f16 and must stay unwritten pages.
        value = value.astype(np.float16 if dtype == "f16" and value.ndim == 2 else np.float32, copy=False)
        writer.add_tensor(name, value)

    add("token_embd.weight", tensors["model.embed_tokens.weight"])
    for i in range(layers):
        for hf, gg in names.items():
            add(f"blk.{i}.{gg}.weight", tensors[f"model.layers.{i}.{hf}.weight"])
    add("output_norm.weight", tensors["model.norm.weight"])
    add("output.weight", head)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    print(path)
