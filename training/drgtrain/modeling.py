"""The demo model: a small `LlamaForSequenceClassification`, DRG-LLaMA's architecture scaled down.

Same shapes a DRG-LLaMA checkpoint has, only smaller: LLaMA-2's 32,000-token vocabulary, RMSNorm,
rotary positions, SwiGLU MLP, and a bias-free `score` head reading the last non-pad token
(`pad_token_id = 0`). The shipped demo uses hidden 64, 2 layers, 4 heads, MLP 172: 2.16 M
parameters, 8.6 MB in F32; the embedding table is most of it (32,000 x 64).
"""

from transformers import LlamaConfig, LlamaForSequenceClassification


def build_config(num_labels: int, id2label: dict[int, str], hidden: int = 64, layers: int = 2,
                 heads: int = 4, intermediate: int = 172, max_positions: int = 512) -> LlamaConfig:
    return LlamaConfig(
        vocab_size=32000, hidden_size=hidden, intermediate_size=intermediate,
        num_hidden_layers=layers, num_attention_heads=heads, num_key_value_heads=heads,
        max_position_embeddings=max_positions, rms_norm_eps=1e-6, rope_theta=10000.0,
        hidden_act="silu", tie_word_embeddings=False, attention_bias=False, mlp_bias=False,
        bos_token_id=1, eos_token_id=2, pad_token_id=0, initializer_range=0.02,
        num_labels=num_labels, id2label=id2label, label2id={v: k for k, v in id2label.items()},
        problem_type="single_label_classification",
    )


def build_model(config: LlamaConfig) -> LlamaForSequenceClassification:
    return LlamaForSequenceClassification(config)
