"""Coaching flows: deterministic state and checks around model calls."""
