"""The build: the output path scheme, the plan, the manifest, the executor, the lock, the benchmark."""
