"""Counting: plan + progress rows + as-of date -> every figure (the one definition; docs/counting.md)."""
