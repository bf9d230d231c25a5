"""Peer-mentoring programmes: cohorts, opt-in and skills inventory, complementary pairing, deadlines,
check-ins, nudges and the facilitator's dashboard. Entry point: ``service.ProgrammeService``."""
