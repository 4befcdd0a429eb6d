"""Forward passes of the frozen scoring models in plain torch, read from their safetensors.

The fluency detector (Gemma 3) and the guard's sentence embedder (MiniLM, a BERT) only run
a forward pass over a batch. Building them through transformers imports its modeling code
first, about 2 s of every process on 2 CPU cores, a quarter of a single article's run. These
modules compute the same thing with the same tensors (tests compare them with transformers'
output) and fall back to transformers for any model whose configuration they do not cover.
Generation, adapters and training stay with transformers and peft.
"""
