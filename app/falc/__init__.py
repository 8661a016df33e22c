"""Easy-read French (FALC): the text analyser and the proofreading workflow."""
