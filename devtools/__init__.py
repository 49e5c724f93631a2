"""Stand-ins for outside services, used by the tests and the benchmarks (real HTTP on 127.0.0.1)."""
