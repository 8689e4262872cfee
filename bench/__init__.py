"""Benchmarks: a synthetic corpus generator and the throughput/memory benchmark (`make bench`)."""
