"""Elections: rows mapped to `saylau.domain.election`, the lifecycle through its `advance`."""
