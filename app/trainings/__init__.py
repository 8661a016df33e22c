"""Co-training: missions published by training institutes, sign-ups of co-trainers."""
