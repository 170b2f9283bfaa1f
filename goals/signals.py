"""What the goals app tells the apps above it when a workflow step is taken (notices listens)."""
