# Scratch exploration (not governed: ignored by the manifest).
