"""Training library for the demo DRG-LLaMA: label spaces, data readers, model config, metrics.

`train.py` (one level up) is the command line; this package holds the parts it is made of:
`labels` (single- and two-label spaces over MS-DRG v43, CC/MCC classes in DRG-LLaMA's order),
`data` (corpus / export readers and DRG-LLaMA tokenization), `modeling` (the small LlamaConfig),
`metrics` (top-k, macro-F1, base and CC/MCC accuracy, per-family failures).
"""
