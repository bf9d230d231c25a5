"""Behavioural evals: YAML cases in evals/cases/<flow>/, one runner module per flow, one report format."""
