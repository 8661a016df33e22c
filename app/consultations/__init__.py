"""Consultation rounds: questions, invitations, answers, results, feedback."""
