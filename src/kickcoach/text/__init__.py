"""Text helpers every flow shares: sentences, words (stop words, stems), morphology and overlap.

One implementation each, so that the guard, the flows and the evals split, stem and compare alike.
"""
