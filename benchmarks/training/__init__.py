"""Training of Warta's learned scorers from the labelled pages of ../shared/data (see benchmarks/train.py)."""
